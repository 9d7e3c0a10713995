package io.warren.worker;

import io.warren.broker.JobTopology;
import io.warren.store.FirstRuns;
import io.warren.store.JobTransitions;
import io.warren.types.JobTypes;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the queues of live job types on the broker (routes/queue-watch.yaml runs it every few
 * seconds, and every worker route at start). A work queue can vanish under a running warren: a
 * delete in the management UI, a broker that lost its data. The audit queue still takes each
 * job's copy, so the broker keeps confirming and a publish with {@code mandatory} is not returned:
 * nothing at publish time can tell. So the watch looks: a missing work queue is declared again,
 * and the type's QUEUED jobs, which were in it or went nowhere, go back to the outbox relay to be
 * published again. A copy that turns out to be still under way is suppressed by the worker's claim.
 *
 * <p>A queue can also be there and miss jobs the broker confirmed: a RabbitMQ 3.10 cluster did so
 * when a quorum queue's leader node died (docs/scaling.md). So jobs QUEUED for longer than
 * {@code missingAfter} while the queue has nothing ready are handed back to the relay as well.
 */
public class QueueWatch {

    private static final Logger LOG = LoggerFactory.getLogger(QueueWatch.class);

    private final JobTopology topology;
    private final JobTypes types;
    private final JobTransitions transitions;
    private final FirstRuns firstRuns;
    private final Duration missingAfter;

    /** @param missingAfter zero: no check for jobs missing from a queue that is there */
    public QueueWatch(JobTopology topology, JobTypes types, JobTransitions transitions, FirstRuns firstRuns, Duration missingAfter) {
        this.topology = topology;
        this.types = types;
        this.transitions = transitions;
        this.firstRuns = firstRuns;
        this.missingAfter = missingAfter;
    }

    /** Every live type's queues, and the shared audit queue. */
    public void check() {
        if (!topology.auditQueueExists()) {
            LOG.error("Audit queue {} is gone (deleted outside warren?); declaring it again", topology.names().auditQueue());
            topology.declareShared();
            types.names().forEach(topology::declareType);
        }
        for (String type : types.names()) {
            // one passive declare per type and round: it tells a missing queue and an empty one
            long ready = topology.readyInWorkQueue(type);
            if (ready < 0) {
                ensure(type, true);
            } else if (ready == 0 && !missingAfter.isZero()) {
                requeueMissing(type);
            }
        }
    }

    private void requeueMissing(String type) {
        int requeued = transitions.requeueLost(type, Instant.now().minus(missingAfter), "confirmed by the broker over "
                + missingAfter.toSeconds() + " s ago, yet not in work queue " + topology.workQueue(type)
                + "; the outbox relay publishes the job again");
        if (requeued > 0) {
            LOG.error("{} job(s) of type '{}' were confirmed by the broker over {} s ago but are not in work queue {} (nothing "
                    + "ready there); handed back to the outbox relay", requeued, type, missingAfter.toSeconds(), topology.workQueue(type));
        }
    }

    /**
     * Declares the type's queues. When its work queue was not there, its QUEUED jobs are handed
     * back to the outbox relay. {@code live}: the type was running, so a missing queue is an error
     * (at a type's start it is also how a new type or a broker that lost its data looks).
     */
    public void ensure(String type, boolean live) {
        String queue = topology.workQueue(type);
        if (topology.workQueueExists(type)) {
            return;
        }
        try {
            topology.declareType(type);
        } catch (RuntimeException e) {
            types.queueTrouble(type, "work queue " + queue + " is missing and could not be declared: " + e.getMessage());
            throw e;
        }
        types.queueTrouble(type, null);
        firstRuns.recordConfirmed(); // jobs confirmed into the queue that was gone are QUEUED first
        int requeued = transitions.requeueLost(type, "work queue " + queue + " was gone; the outbox relay publishes the job again");
        if (live || requeued > 0) {
            LOG.error("Work queue {} of job type '{}' was gone (deleted outside warren, or the broker lost it); declared it "
                    + "again and handed {} queued job(s) back to the outbox relay", queue, type, requeued);
        }
    }
}
