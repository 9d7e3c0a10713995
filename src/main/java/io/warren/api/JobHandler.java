package io.warren.api;

import io.warren.worker.JobExecution;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * What a job type does. Implement {@link #handle}; return normally for success, throw to fail. A
 * failure is retried by the type's redelivery policy unless it is permanent: a
 * {@link PermanentJobFailure}, or an exception {@link #isPermanent} accepts. Configure an
 * implementation through setters in the job type's route file.
 */
public interface JobHandler extends Processor {

    void handle(Job job) throws Exception;

    /** Failures that retrying cannot fix (bad input, say): they go straight to the dead letters. */
    default boolean isPermanent(Exception failure) {
        return false;
    }

    @Override
    default void process(Exchange exchange) throws Exception {
        JobExecution.run(this, exchange);
    }
}
