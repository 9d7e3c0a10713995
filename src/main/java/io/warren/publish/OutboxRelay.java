package io.warren.publish;

import io.warren.store.JobRecord;
import io.warren.store.Outbox;
import java.time.Duration;
import java.util.List;

/**
 * The outbox relay's steps (routes/outbox-relay.yaml): lease the jobs the broker has not confirmed,
 * oldest first, for the publisher to publish again. Jobs younger than {@code relayAfterMillis}
 * are left alone: their intake may still be waiting for the confirm.
 */
public class OutboxRelay {

    private Outbox outbox;
    private long relayAfterMillis = 10_000;
    /** Long enough for any batch to be published; a relay that dies mid-batch frees its jobs after it. */
    private static final long LEASE_MILLIS = 60_000;
    private int batchSize = 100;

    public void setOutbox(Outbox outbox) {
        this.outbox = outbox;
    }

    public void setRelayAfterMillis(long relayAfterMillis) {
        this.relayAfterMillis = relayAfterMillis;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public List<JobRecord> pending() {
        return outbox.claimUnpublished(Duration.ofMillis(relayAfterMillis), Duration.ofMillis(LEASE_MILLIS), batchSize);
    }
}
