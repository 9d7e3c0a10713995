package io.warren.api;

/**
 * The AMQP headers warren stamps on a job and on a dead letter; nothing else crosses from HTTP to
 * AMQP. The AMQP properties message_id (the job id), timestamp, content_type, correlation_id and
 * delivery_mode are set too.
 */
public final class JobHeaders {

    public static final String TYPE = "warren-type";
    public static final String PRODUCER = "warren-producer";
    public static final String HOST = "warren-host";
    public static final String CORRELATION_ID = "warren-correlation-id";
    public static final String ACCEPTED_AT = "warren-accepted-at";

    public static final String ERROR_CLASS = "warren-error-class";
    public static final String ERROR_MESSAGE = "warren-error-message";
    public static final String ERROR_STACK = "warren-error-stack";
    public static final String ATTEMPTS = "warren-attempts";
    /**
     * On a job sent to wait in a retry queue: the attempts it made. Not on a dead letter, so a dead
     * letter moved back to a work queue by hand starts again from attempt 1.
     */
    public static final String RETRY_OF_ATTEMPT = "warren-retry-of-attempt";
    public static final String FAILED_AT = "warren-failed-at";
    public static final String SOURCE_QUEUE = "warren-source-queue";
    public static final String ROUTE = "warren-route";
    /** Set on a copy the outbox relay published again: its claim is always waited for, never run ahead of the commit. */
    public static final String REPUBLISHED = "warren-republished";

    private JobHeaders() {
    }
}
