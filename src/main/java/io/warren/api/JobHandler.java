package io.warren.api;

/**
 * What a job type does. Implement {@link #handle}; return normally for success, throw to fail. A
 * failure is retried by the type's redelivery policy unless it is permanent: a
 * {@link PermanentJobFailure}, or an exception {@link #isPermanent} accepts. Configure an
 * implementation through setters in the job type's route file. It imports nothing of warren's
 * runtime: the worker route calls it through {@code io.warren.worker.JobExecution}.
 */
public interface JobHandler {

    void handle(Job job) throws Exception;

    /** Failures that retrying cannot fix (bad input, say): they go straight to the dead letters. */
    default boolean isPermanent(Exception failure) {
        return false;
    }
}
