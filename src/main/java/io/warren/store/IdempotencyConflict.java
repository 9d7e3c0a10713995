package io.warren.store;

/** The Idempotency-Key was used before with a different request. */
public class IdempotencyConflict extends RuntimeException {

    private final String jobId;

    public IdempotencyConflict(String jobId) {
        super("Idempotency-Key was already used for job " + jobId + " with a different request");
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
