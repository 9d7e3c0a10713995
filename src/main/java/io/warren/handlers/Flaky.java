package io.warren.handlers;

import io.warren.api.Job;
import io.warren.api.JobHandler;
import io.warren.api.PermanentJobFailure;

/**
 * Example job type for trying retries and dead letters: fails the first {@code failAttempts}
 * attempts given in the payload, then succeeds. {@code "permanent": true} fails at once without
 * retries.
 */
public class Flaky implements JobHandler {

    @Override
    public void handle(Job job) throws PermanentJobFailure {
        if (job.payload().path("permanent").asBoolean(false)) {
            throw new PermanentJobFailure("flaky job " + job.id() + " asked to fail permanently");
        }
        int failAttempts = job.payload().path("failAttempts").asInt(0);
        if (job.attempt() <= failAttempts) {
            throw new IllegalStateException("flaky job " + job.id() + " fails attempt " + job.attempt()
                    + " of the first " + failAttempts);
        }
    }
}
