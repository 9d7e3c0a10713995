package io.warren.api;

/**
 * The Camel headers warren puts on a job's exchange in a route ({@code from: warren:work:<type>},
 * {@code to: warren:submit:<type>}) and the ones it reads. docs/routes.md lists them.
 */
public final class RouteHeaders {

    /** The job's id: set on a job's exchange, and by warren:submit on the exchange that submitted it. */
    public static final String JOB_ID = "WarrenJobId";
    public static final String JOB_TYPE = "WarrenJobType";
    /** The attempt being made, from 1. */
    public static final String ATTEMPT = "WarrenJobAttempt";
    public static final String CORRELATION_ID = "WarrenCorrelationId";
    /** Set by a route to record a short result with the job (text; up to 4,000 characters are kept). */
    public static final String RESULT = "WarrenJobResult";
    /** Read by warren:submit: the idempotency key of the submitted job. */
    public static final String IDEMPOTENCY_KEY = "WarrenIdempotencyKey";
    /** Set by warren:submit: true when the idempotency key found an existing job. */
    public static final String EXISTING = "WarrenJobExisting";

    private RouteHeaders() {
    }
}
