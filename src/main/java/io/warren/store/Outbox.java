package io.warren.store;

import static io.warren.store.JobRows.JOBS;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The jobs the broker has not confirmed yet, for the outbox relay to publish again. */
public class Outbox {

    private final DataSource dataSource;

    public Outbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Unconfirmed jobs whose time for the relay has come (their relay_at: the relay-after delay
     * since their acceptance, or a lease or a replay's deadline has passed), longest due first, each
     * leased to this caller for a while so that two instances do not publish the same job at once.
     */
    public List<JobRecord> claimUnpublished(Duration lease, int limit) {
        return Transactions.run(dataSource, c -> {
            Instant now = Instant.now();
            List<JobRecord> pending;
            try (Sql.Bound unpublished = JOBS.prepare(c, "unpublished")) {
                pending = unpublished.set("now", now).set("limit", limit).list(JobRows::job);
            }
            List<JobRecord> claimed = new ArrayList<>();
            try (Sql.Bound leaseJob = JOBS.prepare(c, "lease")) {
                for (JobRecord job : pending) {
                    if (leaseJob.set("lease_until", now.plus(lease)).set("id", job.id()).set("now", now).update() == 1) {
                        claimed.add(job);
                    }
                }
            }
            return claimed;
        });
    }
}
