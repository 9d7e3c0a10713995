package io.warren.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The jobs table and their history. Every change of status is one unit of work that updates the
 * job only if its current status allows it (so status never goes backwards, whatever order
 * deliveries arrive in) and appends the event to the history; the ones on every job's path are
 * committed together with concurrent ones ({@link GroupCommit}).
 */
public class JobStore {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COLUMNS = "id, type, status, attempts, payload, correlation_id, producer, host, "
            + "idempotency_key, request_hash, accepted_at, published_at, started_at, finished_at, last_error_class, "
            + "last_error_message, result, last_error_stack";

    private final DataSource dataSource;
    private final GroupCommit groupCommit;
    private final Duration idempotencyRetention;
    private final StoreHealth health;

    public JobStore(DataSource dataSource, GroupCommit groupCommit, Duration idempotencyRetention, StoreHealth health) {
        this.dataSource = dataSource;
        this.groupCommit = groupCommit;
        this.idempotencyRetention = idempotencyRetention;
        this.health = health;
    }

    /** What {@link #insert} did: stored the job, or found the first job of the same Idempotency-Key. */
    public record Inserted(JobRecord job, boolean existing) {
    }

    /** What a worker may do with a delivery. */
    public enum Claim { RUN, DUPLICATE, NOT_STORED }

    /**
     * Stores a new job. With an Idempotency-Key, the key is the caller's own ({@code scope}: the
     * credential that sent it): the same key and request from the same caller find the first job.
     */
    public Inserted insert(JobRecord job, String scope) {
        health.requireUp(); // a database known to be away: refuse now, not after the pool's timeout
        for (int tries = 0; ; tries++) {
            try {
                write(c -> {
                    try (PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (" + COLUMNS
                            + ", idempotency_scope) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ?)")) {
                        insert.setString(1, job.id());
                        insert.setString(2, job.type());
                        insert.setString(3, JobStatus.ACCEPTED.name());
                        insert.setString(4, job.payload());
                        insert.setString(5, job.correlationId());
                        insert.setString(6, job.producer());
                        insert.setString(7, job.host());
                        insert.setString(8, job.idempotencyKey());
                        insert.setString(9, job.requestHash());
                        insert.setObject(10, time(job.acceptedAt()));
                        insert.setString(11, job.idempotencyKey() == null ? null : scope);
                        insert.executeUpdate();
                    }
                    event(c, job.id(), "ACCEPTED", null, job.idempotencyKey() == null ? null : "idempotency key " + job.idempotencyKey());
                    return null;
                });
                return new Inserted(job, false);
            } catch (StoreUnavailable e) {
                if (job.idempotencyKey() == null || !isUniqueViolation(e) || tries > 2) {
                    throw e;
                }
                Optional<JobRecord> first = findByIdempotencyKey(scope, job.idempotencyKey());
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
                return new Inserted(first.get(), true);
            }
        }
    }

    /** Stores new jobs (no Idempotency-Key) in one transaction: the batch endpoint. */
    public void insertAll(List<JobRecord> jobs) {
        health.requireUp();
        write(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (" + COLUMNS
                    + ") VALUES (?, ?, 'ACCEPTED', 0, ?, ?, ?, ?, NULL, NULL, ?, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
                 PreparedStatement event = c.prepareStatement(
                         "INSERT INTO job_events (job_id, at, event, attempt, detail) VALUES (?, ?, 'ACCEPTED', NULL, 'batch')")) {
                for (JobRecord job : jobs) {
                    insert.setString(1, job.id());
                    insert.setString(2, job.type());
                    insert.setString(3, job.payload());
                    insert.setString(4, job.correlationId());
                    insert.setString(5, job.producer());
                    insert.setString(6, job.host());
                    insert.setObject(7, time(job.acceptedAt()));
                    insert.addBatch();
                    event.setString(1, job.id());
                    event.setObject(2, time(job.acceptedAt()));
                    event.addBatch();
                }
                insert.executeBatch();
                event.executeBatch();
            }
            return null;
        });
    }

    /** Takes back a job the broker refused when there is no outbox to retry it: it was never accepted. */
    public void delete(String id) {
        update("DELETE FROM jobs WHERE id = ?", ps -> ps.setString(1, id));
    }

    /** The broker confirmed the job. A worker may already have started it: its status is kept then. */
    public void published(String id) {
        publishedAll(List.of(id));
    }

    /** The broker confirmed these jobs: one transaction for all of them (the batch endpoint). */
    public void publishedAll(List<String> ids) {
        write(c -> {
            Instant now = Instant.now();
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET published_at = COALESCE(published_at, ?), "
                    + "relay_claimed_until = NULL, status = CASE WHEN status = 'ACCEPTED' THEN 'QUEUED' ELSE status END "
                    + "WHERE id = ?");
                 PreparedStatement event = c.prepareStatement(
                         "INSERT INTO job_events (job_id, at, event, attempt, detail) VALUES (?, ?, 'PUBLISHED', NULL, NULL)")) {
                for (String id : ids) {
                    ps.setObject(1, time(now));
                    ps.setString(2, id);
                    ps.addBatch();
                    event.setString(1, id);
                    event.setObject(2, time(now));
                    event.addBatch();
                }
                ps.executeBatch();
                event.executeBatch();
            }
            return null;
        });
    }

    /**
     * Marks the job RUNNING for this attempt, unless it already finished or another copy of it is
     * running (a duplicate delivery). {@code mayTakeOver}: whether a RUNNING job may be claimed by
     * this delivery: yes for the broker's redelivery of a dead worker's job; no for a second copy
     * (the outbox relay published it again) while the first is under way.
     */
    public Claim startAttempt(String id, int attempt, boolean mayTakeOver) {
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = ?, "
                    + "attempts = GREATEST(attempts + 1, ?), started_at = COALESCE(started_at, ?) "
                    + "WHERE id = ? AND (status IN (?, ?, ?) OR (status = ? AND ?))")) {
                ps.setString(1, JobStatus.RUNNING.name());
                ps.setInt(2, attempt);
                ps.setObject(3, time(Instant.now()));
                ps.setString(4, id);
                ps.setString(5, JobStatus.ACCEPTED.name());
                ps.setString(6, JobStatus.QUEUED.name());
                ps.setString(7, JobStatus.RETRYING.name());
                ps.setString(8, JobStatus.RUNNING.name());
                ps.setBoolean(9, mayTakeOver);
                if (ps.executeUpdate() == 1) {
                    event(c, id, "ATTEMPT_STARTED", attempt, null);
                    return Claim.RUN;
                }
            }
            Optional<JobRecord> stored = find(c, id);
            if (stored.isEmpty()) {
                return Claim.NOT_STORED;
            }
            event(c, id, "DUPLICATE_SUPPRESSED", attempt, stored.get().status() == JobStatus.RUNNING
                    ? "another copy of it is running; not run" : "delivered again after it finished; not run");
            return Claim.DUPLICATE;
        });
    }

    public void attemptFailed(String id, int attempt, String errorClass, String errorMessage) {
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = 'RETRYING', last_error_class = ?, "
                    + "last_error_message = ? WHERE id = ? AND status IN ('RUNNING', 'RETRYING')")) {
                ps.setString(1, errorClass);
                ps.setString(2, cut(errorMessage, 1000));
                ps.setString(3, id);
                if (ps.executeUpdate() == 1) {
                    event(c, id, "ATTEMPT_FAILED", attempt, cut(errorClass + ": " + errorMessage, 2000));
                }
            }
            return null;
        });
    }

    public void succeeded(String id, int attempt, String result) {
        finish(id, "SUCCEEDED", attempt, null, null, null, result);
    }

    public void dead(String id, int attempts, String errorClass, String errorMessage, String stack) {
        finish(id, "DEAD", attempts, errorClass, errorMessage, stack, null);
    }

    private void finish(String id, String status, int attempts, String errorClass, String errorMessage, String stack,
                        String result) {
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = ?, finished_at = ?, "
                    + "attempts = GREATEST(attempts, ?), last_error_class = COALESCE(?, last_error_class), "
                    + "last_error_message = COALESCE(?, last_error_message), last_error_stack = ?, result = ? "
                    + "WHERE id = ? AND status NOT IN ('SUCCEEDED', 'DEAD', 'DISCARDED')")) {
                ps.setString(1, status);
                ps.setObject(2, time(Instant.now()));
                ps.setInt(3, attempts);
                ps.setString(4, errorClass);
                ps.setString(5, cut(errorMessage, 1000));
                ps.setString(6, cut(stack, 4000));
                ps.setString(7, cut(result, 4000));
                ps.setString(8, id);
                if (ps.executeUpdate() == 1) {
                    String event = status.equals("DEAD") ? "DEAD_LETTERED" : "SUCCEEDED";
                    String detail = errorClass == null ? null : cut(errorClass + ": " + errorMessage, 2000);
                    event(c, id, event, attempts, detail);
                }
            }
            return null;
        });
    }

    /**
     * Puts a dead job back to be published again (status ACCEPTED: the intake publishes it now, and
     * the outbox relay does if that fails). Only a DEAD job can be replayed, so replaying twice cannot
     * make two runs. Returns false when the job is not dead (any more).
     */
    public boolean replay(String id, String by, Duration publishWithin) {
        return transaction(c -> {
            // leased for a while: the throttled replay route publishes it; the relay only if that never happens
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = 'ACCEPTED', finished_at = NULL, "
                    + "relay_claimed_until = ? WHERE id = ? AND status = 'DEAD'")) {
                ps.setObject(1, time(Instant.now().plus(publishWithin)));
                ps.setString(2, id);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            event(c, id, "REPLAYED", null, "by " + by);
            return true;
        });
    }

    /**
     * The broker lost the type's work queue (deleted, or a broker that lost its data): its QUEUED
     * jobs are in no queue any more, or (confirmed into the new queue just now) will be suppressed
     * as duplicates when their second copy comes. They go back to ACCEPTED, unleased, so the outbox
     * relay publishes them again. Returns how many.
     */
    public int requeueLost(String type, String why) {
        return transaction(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM jobs WHERE type = ? AND status = ?")) {
                ps.setString(1, type);
                ps.setString(2, JobStatus.QUEUED.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            int requeued = 0;
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = ?, relay_claimed_until = NULL "
                    + "WHERE id = ? AND status = ?")) {
                for (String id : ids) {
                    ps.setString(1, JobStatus.ACCEPTED.name());
                    ps.setString(2, id);
                    ps.setString(3, JobStatus.QUEUED.name());
                    if (ps.executeUpdate() == 1) {
                        event(c, id, "REQUEUED", null, why);
                        requeued++;
                    }
                }
            }
            return requeued;
        });
    }

    /** Jobs an admin purged from their work queue: DISCARDED (if not finished), history event PURGED. */
    public void purged(List<String> ids, String detail) {
        if (ids.isEmpty()) {
            return;
        }
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = ?, finished_at = ? WHERE id = ? "
                    + "AND status IN (?, ?, ?)")) {
                for (String id : ids) {
                    ps.setString(1, JobStatus.DISCARDED.name());
                    ps.setObject(2, time(Instant.now()));
                    ps.setString(3, id);
                    ps.setString(4, JobStatus.ACCEPTED.name());
                    ps.setString(5, JobStatus.QUEUED.name());
                    ps.setString(6, JobStatus.RETRYING.name());
                    if (ps.executeUpdate() == 1) {
                        event(c, id, "PURGED", null, detail);
                    }
                }
            }
            return null;
        });
    }

    /** Discards a dead job: it stays, with its history, as DISCARDED. False when it is not dead. */
    public boolean discard(String id, String by) {
        return transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET status = 'DISCARDED' WHERE id = ? AND status = 'DEAD'")) {
                ps.setString(1, id);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            event(c, id, "DISCARDED", null, "by " + by);
            return true;
        });
    }

    /**
     * Jobs the broker has not confirmed yet, oldest first, each leased to this caller for a while so
     * that two instances do not publish the same job at once.
     */
    public List<JobRecord> claimUnpublished(Duration olderThan, Duration lease, int limit) {
        return transaction(c -> {
            List<JobRecord> pending = new ArrayList<>();
            Instant now = Instant.now();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE status = 'ACCEPTED' "
                    + "AND accepted_at < ? AND (relay_claimed_until IS NULL OR relay_claimed_until < ?) "
                    + "ORDER BY accepted_at LIMIT ?")) {
                ps.setObject(1, time(now.minus(olderThan)));
                ps.setObject(2, time(now));
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        pending.add(record(rs));
                    }
                }
            }
            List<JobRecord> claimed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET relay_claimed_until = ? WHERE id = ? "
                    + "AND status = 'ACCEPTED' AND (relay_claimed_until IS NULL OR relay_claimed_until < ?)")) {
                for (JobRecord job : pending) {
                    ps.setObject(1, time(now.plus(lease)));
                    ps.setString(2, job.id());
                    ps.setObject(3, time(now));
                    if (ps.executeUpdate() == 1) {
                        claimed.add(job);
                    }
                }
            }
            return claimed;
        });
    }

    public Optional<JobRecord> find(String id) {
        return transaction(c -> find(c, id));
    }

    /** A page of jobs, newest first; {@code before} is the id the previous page ended with. */
    public List<JobRecord> page(String type, JobStatus status, Instant since, String before, int limit) {
        return page(type, status, null, since, before, limit);
    }

    /** As above; {@code errorClass} keeps the jobs whose last error is of that class (simple or full name). */
    public List<JobRecord> page(String type, JobStatus status, String errorClass, Instant since, String before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM jobs WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (errorClass != null) {
            sql.append(" AND (last_error_class = ? OR last_error_class LIKE ?)");
            args.add(errorClass);
            args.add("%." + errorClass);
        }
        if (type != null) {
            sql.append(" AND type = ?");
            args.add(type);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status.name());
        }
        if (since != null) {
            sql.append(" AND accepted_at >= ?");
            args.add(time(since));
        }
        if (before != null) {
            sql.append(" AND id < ?");
            args.add(before);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        return transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<JobRecord> jobs = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        jobs.add(record(rs));
                    }
                }
                return jobs;
            }
        });
    }

    /** How many jobs of each type are in each status: type -> status -> count. */
    public java.util.Map<String, java.util.Map<String, Long>> countsByTypeAndStatus() {
        return transaction(c -> {
            java.util.Map<String, java.util.Map<String, Long>> counts = new java.util.TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT type, status, COUNT(*) FROM jobs GROUP BY type, status");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.computeIfAbsent(rs.getString(1), t -> new java.util.TreeMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
            return counts;
        });
    }

    public List<JobEvent> history(String id) {
        return transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT at, event, attempt, detail FROM job_events WHERE job_id = ? ORDER BY id")) {
                ps.setString(1, id);
                List<JobEvent> events = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(new JobEvent(instant(rs, 1), rs.getString(2), rs.getObject(3, Integer.class), rs.getString(4)));
                    }
                }
                return events;
            }
        });
    }

    private Optional<JobRecord> findByIdempotencyKey(String scope, String key) {
        return transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE idempotency_scope = ? "
                    + "AND idempotency_key = ?")) {
                ps.setString(1, scope);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(record(rs)) : Optional.empty();
                }
            }
        });
    }

    private void forgetIdempotencyKey(String id) {
        update("UPDATE jobs SET idempotency_key = NULL, idempotency_scope = NULL WHERE id = ?", ps -> ps.setString(1, id));
    }

    private static Optional<JobRecord> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(record(rs)) : Optional.empty();
            }
        }
    }

    private static void event(Connection c, String jobId, String event, Integer attempt, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO job_events (job_id, at, event, attempt, detail) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, jobId);
            ps.setObject(2, time(Instant.now()));
            ps.setString(3, event);
            ps.setObject(4, attempt);
            ps.setString(5, detail);
            ps.executeUpdate();
        }
    }

    private static JobRecord record(ResultSet rs) throws SQLException {
        return new JobRecord(rs.getString(1), rs.getString(2), JobStatus.valueOf(rs.getString(3)), rs.getInt(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                instant(rs, 11), instant(rs, 12), instant(rs, 13), instant(rs, 14), rs.getString(15), rs.getString(16),
                rs.getString(17), rs.getString(18));
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private void update(String sql, Binder binder) {
        transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            }
        });
    }

    private <T> T transaction(Transactions.Work<T> work) {
        return Transactions.run(dataSource, work);
    }

    /** The status changes on every job's path: committed together with concurrent ones. */
    private <T> T write(Transactions.Work<T> work) {
        return groupCommit.run(work);
    }

    private static boolean isUniqueViolation(StoreUnavailable e) {
        return e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState());
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
