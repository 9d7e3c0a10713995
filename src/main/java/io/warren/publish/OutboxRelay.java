package io.warren.publish;

import io.warren.store.JobRecord;
import io.warren.store.Outbox;
import java.time.Duration;
import java.util.List;

/**
 * The outbox relay's steps (routes/outbox-relay.yaml): lease the jobs the broker has not confirmed,
 * longest due first, for the publisher to publish again. A job is due once it was stored
 * warren.outbox.relay-after-millis ago ({@link io.warren.store.NewJobs}): until then its intake
 * may still be waiting for the confirm.
 */
public class OutboxRelay {

    private Outbox outbox;
    /** Long enough for any batch to be published; a relay that dies mid-batch frees its jobs after it. */
    private static final long LEASE_MILLIS = 60_000;
    private int batchSize = 100;

    public void setOutbox(Outbox outbox) {
        this.outbox = outbox;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public List<JobRecord> pending() {
        return outbox.claimUnpublished(Duration.ofMillis(LEASE_MILLIS), batchSize);
    }
}
