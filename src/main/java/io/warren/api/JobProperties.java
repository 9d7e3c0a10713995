package io.warren.api;

/**
 * The exchange properties warren's routes set, one place for all of them. A route file may read
 * them with {@code ${exchangeProperty.<name>}}; they never leave the process (the AMQP side is
 * {@link JobHeaders}).
 */
public final class JobProperties {

    /** On the way in (intake, batch, outbox relay, replay): the stored job record being published. */
    public static final String RECORD = "warrenJobRecord";
    /** On the way in (intake, warren:submit): the job's insert, which may still be committing while it is published. */
    public static final String STORED = "warrenJobStored";
    /** On the way in: true when an idempotency key named a job that already exists (nothing is published). */
    public static final String EXISTING = "warrenJobExisting";
    /**
     * On the way in over HTTP: the {@code java.util.concurrent.Executor} an asynchronous step goes
     * on with (the request's event loop, which writes the answer), set by the HTTP consumer.
     */
    public static final String REPLY_EXECUTOR = "warrenReplyExecutor";
    /** In a worker: the {@link Job} the handler ran. */
    public static final String JOB = "warrenJob";
    /** In a worker: the handler's attempt (1 = first run), for the dead-letter reason. */
    public static final String ATTEMPT = "warrenAttempt";
    /** In a worker: when the handler started, for the duration metric. */
    public static final String STARTED_NANOS = "warrenStartedNanos";
    /** In a fleet command's route: the command as stored, for the 202 once it is published. */
    public static final String COMMAND_ISSUED = "warrenCommandIssued";
    /** In a replay: the ids of the dead letters being replayed. */
    public static final String REPLAY_IDS = "warrenReplayIds";

    private JobProperties() {
    }
}
