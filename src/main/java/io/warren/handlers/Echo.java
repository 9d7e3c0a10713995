package io.warren.handlers;

import io.warren.api.Job;
import io.warren.api.JobHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Example job type that always succeeds: logs the job. A payload field {@code sleepMillis} (at most
 * {@link #setMaxSleepMillis}) makes it take that long, to watch prefetch, concurrency and shutdown.
 */
public class Echo implements JobHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Echo.class);

    private long maxSleepMillis = 60_000;
    private boolean log = true;

    public void setMaxSleepMillis(long maxSleepMillis) {
        this.maxSleepMillis = maxSleepMillis;
    }

    /** false: a no-op, for benchmarks. */
    public void setLog(boolean log) {
        this.log = log;
    }

    @Override
    public void handle(Job job) throws InterruptedException {
        long sleep = Math.min(Math.max(job.payload().path("sleepMillis").asLong(0), 0), maxSleepMillis);
        if (sleep > 0) {
            Thread.sleep(sleep);
        }
        if (log) {
            LOG.info("echo job {} (attempt {}): {}", job.id(), job.attempt(), job.payload());
        }
    }
}
