package io.warren.store;

import static io.warren.store.JobRows.JOBS;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * Jobs coming in: stored ACCEPTED before they are published, with their Idempotency-Key; taken
 * back when the broker refused one and there is no outbox to retry it.
 */
public class NewJobs {

    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource dataSource;
    private final GroupCommit groupCommit;
    private final Duration idempotencyRetention;
    private final Duration relayAfter;
    private final StoreHealth health;

    /** relayAfter: how long after its acceptance the outbox relay may publish a job no confirm was recorded for. */
    public NewJobs(DataSource dataSource, GroupCommit groupCommit, Duration idempotencyRetention, Duration relayAfter,
                   StoreHealth health) {
        this.dataSource = dataSource;
        this.groupCommit = groupCommit;
        this.idempotencyRetention = idempotencyRetention;
        this.relayAfter = relayAfter;
        this.health = health;
    }

    /**
     * What {@link #insert} did: stored the job, or found the first job of the same Idempotency-Key.
     * {@code commit} completes once the job is stored: at once with a key (the key has to be looked
     * up first), in the next shared commit without one, so that the caller can publish meanwhile.
     */
    public record Inserted(JobRecord job, boolean existing, CompletableFuture<Void> commit) {

        static Inserted stored(JobRecord job, boolean existing) {
            return new Inserted(job, existing, CompletableFuture.completedFuture(null));
        }

        /** Waits until the job is stored; throws what the store threw (StoreUnavailable: the database is away). */
        public void awaitStored() {
            Futures.join(commit, RuntimeException.class);
        }
    }

    /**
     * Stores a new job. With an Idempotency-Key, the key is the caller's own ({@code scope}: the
     * credential that sent it): the same key and request from the same caller find the first job.
     */
    public Inserted insert(JobRecord job, String scope) {
        health.requireUp(); // a database known to be away: refuse now, not after the pool's timeout
        if (job.idempotencyKey() == null) {
            // nothing to look up: queued for the next shared commit (batched with other jobs'
            // inserts), which runs it before any work queued after it, so this instance's claim
            // of the job, which comes after its publish, finds it. Another instance's worker on a
            // shared database may get the job before the row: its claim waits for the row
            // (JobTransitions.startAttemptOnceStored).
            return new Inserted(job, false, groupCommit.submit(List.of(job.id()), insert(job)));
        }
        for (int tries = 0; ; tries++) {
            try {
                groupCommit.run(List.of(), c -> {
                    insert(c, job, scope, relayAfter);
                    return null;
                });
                return Inserted.stored(job, false);
            } catch (StoreUnavailable e) {
                if (!isUniqueViolation(e) || tries > 2) {
                    throw e;
                }
                Optional<JobRecord> first = Transactions.run(dataSource, c -> {
                    try (Sql.Bound find = JOBS.prepare(c, "find-by-idempotency-key")) {
                        return find.set("scope", scope).set("key", job.idempotencyKey()).one(JobRows::job);
                    }
                });
                if (first.isEmpty()) {
                    continue; // the other request's row went away (expired); try again
                }
                if (first.get().acceptedAt().isBefore(Instant.now().minus(idempotencyRetention))) {
                    forgetIdempotencyKey(first.get().id());
                    continue;
                }
                if (!first.get().requestHash().equals(job.requestHash())) {
                    throw new IdempotencyConflict(first.get().id());
                }
                return Inserted.stored(first.get(), true);
            }
        }
    }

    /** Stores new jobs (no Idempotency-Key) in one transaction: the batch endpoint. */
    public void insertAll(List<JobRecord> jobs) {
        health.requireUp();
        groupCommit.run(List.of(), c -> {
            try (Sql.Bound insert = JOBS.prepare(c, "insert")) {
                for (JobRecord job : jobs) {
                    bind(insert, job, relayAfter).addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    /**
     * Takes back a job the broker refused when there is no outbox to retry it (it was never
     * accepted), in the next shared commit. Not waited for here: the single-job intake settles a
     * refusal on a thread that must not block (the broker connection's, a timer's, the writer's own).
     */
    public CompletableFuture<Void> takeBack(String id) {
        return groupCommit.submit(List.of(id), new StatementWork<Void>("delete", delete -> delete.set("id", id), (c, deleted) -> null, true));
    }

    /** {@link #takeBack} for several jobs (the batch endpoint's refused items), waited for: one shared commit, before the answer. */
    public void takeBackAll(List<String> ids) {
        Futures.join(CompletableFuture.allOf(ids.stream().map(this::takeBack).toArray(CompletableFuture[]::new)), RuntimeException.class);
    }

    /** A job without an Idempotency-Key, as a statement the writer batches with other jobs' inserts. */
    private StatementWork<Void> insert(JobRecord job) {
        return new StatementWork<>("insert", insert -> bind(insert, job, relayAfter), (c, inserted) -> null, false);
    }

    /**
     * A keyed job and its key's row, in one transaction: a key the scope already holds fails both
     * (unique violation). No history row: its acceptance is the row's accepted_at ({@link JobHistory}).
     */
    private static void insert(Connection c, JobRecord job, String scope, Duration relayAfter) throws SQLException {
        try (Sql.Bound insert = JOBS.prepare(c, "insert")) {
            bind(insert, job, relayAfter).update();
        }
        try (Sql.Bound key = JOBS.prepare(c, "insert-idempotency-key")) {
            key.set("scope", scope).set("key", job.idempotencyKey()).set("job_id", job.id()).update();
        }
    }

    static Sql.Bound bind(Sql.Bound insert, JobRecord job, Duration relayAfter) throws SQLException {
        return insert.set("relay_at", job.acceptedAt().plus(relayAfter)).set("id", job.id()).set("type", job.type()).set("payload", job.payload())
                .set("correlation_id", job.correlationId()).set("producer", job.producer()).set("host", job.host())
                .set("idempotency_key", job.idempotencyKey()).set("request_hash", job.requestHash()).set("accepted_at", job.acceptedAt());
    }

    private void forgetIdempotencyKey(String id) {
        Transactions.run(dataSource, c -> {
            try (Sql.Bound forget = JOBS.prepare(c, "forget-idempotency-key")) {
                return forget.set("id", id).update();
            }
        });
    }

    private static boolean isUniqueViolation(StoreUnavailable e) {
        return e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState());
    }
}
