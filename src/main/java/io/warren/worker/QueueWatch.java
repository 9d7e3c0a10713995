package io.warren.worker;

import io.warren.broker.JobTopology;
import io.warren.store.JobTransitions;
import io.warren.types.JobTypes;
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
 */
public class QueueWatch {

    private static final Logger LOG = LoggerFactory.getLogger(QueueWatch.class);

    private final JobTopology topology;
    private final JobTypes types;
    private final JobTransitions transitions;

    public QueueWatch(JobTopology topology, JobTypes types, JobTransitions transitions) {
        this.topology = topology;
        this.types = types;
        this.transitions = transitions;
    }

    /** Every live type's queues, and the shared audit queue. */
    public void check() {
        if (!topology.auditQueueExists()) {
            LOG.error("Audit queue {} is gone (deleted outside warren?); declaring it again", topology.names().auditQueue());
            topology.declareShared();
            types.names().forEach(topology::declareType);
        }
        for (String type : types.names()) {
            ensure(type, true);
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
        int requeued = transitions.requeueLost(type, "work queue " + queue + " was gone; the outbox relay publishes the job again");
        if (live || requeued > 0) {
            LOG.error("Work queue {} of job type '{}' was gone (deleted outside warren, or the broker lost it); declared it "
                    + "again and handed {} queued job(s) back to the outbox relay", queue, type, requeued);
        }
    }
}
