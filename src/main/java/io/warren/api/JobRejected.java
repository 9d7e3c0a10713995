package io.warren.api;

/**
 * warren:submit refused a job a route submitted: unknown or disabled type, a body that is not a
 * JSON object or fails the type's schema, a reused idempotency key. Nothing was stored. A route
 * handles it like any exception ({@code onException}, {@code doTry}); unhandled, it fails the
 * exchange, so a feeder never loses a job silently. {@link #reason()} is the code the HTTP API
 * would answer with (docs/api.md), {@link #status()} its HTTP status.
 */
public class JobRejected extends Exception {

    private final String type;
    private final int status;
    private final String reason;

    public JobRejected(String type, int status, String reason, String message) {
        super("Job of type '" + type + "' rejected (" + reason + "): " + message);
        this.type = type;
        this.status = status;
        this.reason = reason;
    }

    public String type() {
        return type;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }
}
