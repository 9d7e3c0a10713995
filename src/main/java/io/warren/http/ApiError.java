package io.warren.http;

import java.util.Map;

/** A request the intake refuses, with the HTTP status, a stable error code and extra headers. */
public class ApiError extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public ApiError(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiError(int status, String code, String message, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
