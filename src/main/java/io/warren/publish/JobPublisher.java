package io.warren.publish;

import io.warren.api.JobProperties;
import io.warren.observe.JobMetrics;
import io.warren.observe.OutageLog;
import io.warren.store.JobRecord;
import io.warren.store.JobTransitions;
import io.warren.store.NewJobs;
import io.warren.store.StoreUnavailable;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the intake records once the broker answered (routes/intake.yaml): confirmed, or not taken.
 * With the outbox on, a job the broker did not take stays ACCEPTED and the relay publishes it
 * later, so the client still gets its 202; with it off, the job is taken back and the client gets 503.
 */
public class JobPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(JobPublisher.class);

    /** Exchange property: when the intake handed the job to the broker, for the confirm latency. */

    private NewJobs newJobs;
    private JobTransitions transitions;
    private JobMetrics metrics;
    private boolean outbox = true;
    private final OutageLog outage = new OutageLog();

    public void setNewJobs(NewJobs newJobs) {
        this.newJobs = newJobs;
    }

    public void setTransitions(JobTransitions transitions) {
        this.transitions = transitions;
    }

    public void setMetrics(JobMetrics metrics) {
        this.metrics = metrics;
    }

    public void setOutbox(boolean outbox) {
        this.outbox = outbox;
    }

    /** The broker confirmed: the job is QUEUED. It is in the broker whatever the database says now. */
    public void published(Exchange exchange) {
        JobRecord job = exchange.getProperty(JobProperties.RECORD, JobRecord.class);
        Long since = exchange.getProperty(JobProperties.PUBLISHING_SINCE, Long.class);
        metrics.published(job.type(), since == null ? null : Duration.ofNanos(System.nanoTime() - since));
        long refused = outage.recovered();
        if (refused > 0) {
            LOG.warn("The broker takes jobs again; it had not taken {} job(s) since the outage began{}", refused,
                    outbox ? " (the outbox relay publishes them)" : " (each answered 503)");
        }
        try {
            transitions.published(job.id());
        } catch (StoreUnavailable e) {
            LOG.warn("Job {} is in the broker but its status could not be updated: {}", job.id(), e.getMessage());
        }
    }

    /** The broker did not take the job (down, nack, no confirm in time). */
    public void notPublished(Exchange exchange) throws Exception {
        JobRecord job = exchange.getProperty(JobProperties.RECORD, JobRecord.class);
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (outage.refused()) {
            LOG.warn("Broker did not take job {} ({}); {}. Further jobs are counted until the broker takes one again",
                    job.id(), failure.getMessage(), outbox ? "it is stored and the outbox relay will publish it" : "answered 503");
        }
        if (outbox) {
            return;
        }
        newJobs.delete(job.id());
        throw failure;
    }
}
