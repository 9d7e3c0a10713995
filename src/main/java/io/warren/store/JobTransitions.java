package io.warren.store;

import static io.warren.store.JobRows.JOBS;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's changes of status after it came in. Each is one unit of work that updates the job only
 * if its current status allows it and appends the event to the history; the ones on every job's
 * path (published, started, failed, finished) are committed together with concurrent ones
 * ({@link GroupCommit}; the first run's, folded where they meet, in {@link FirstRuns}), the
 * operators' ones (replay, discard, purge, requeue) on their own.
 */
public class JobTransitions {

    private static final Logger LOG = LoggerFactory.getLogger(JobTransitions.class);

    /** How long a claim waits for a row another instance may still be inserting, and for how long after acceptance it tries again (see startAttemptOnceStored). */
    private static final Duration ROW_WAIT = Duration.ofSeconds(2);
    private static final Duration ROW_PATIENCE = Duration.ofSeconds(60);
    private static final Set<JobStatus> CLAIMABLE = EnumSet.of(JobStatus.ACCEPTED, JobStatus.QUEUED, JobStatus.RETRYING);

    private final DataSource dataSource;
    private final GroupCommit groupCommit;

    public JobTransitions(DataSource dataSource, GroupCommit groupCommit) {
        this.dataSource = dataSource;
        this.groupCommit = groupCommit;
    }

    /** What a worker may do with a delivery. TAKEN_OVER: run, though the job was RUNNING (a redelivery after its worker's channel or process died). */
    public enum Claim { RUN, TAKEN_OVER, DUPLICATE, NOT_STORED }

    /**
     * The broker confirmed these jobs (job id -> time sent): recorded (QUEUED, published_at; a
     * history row only for a publish after the first) in the next shared transaction, without
     * waiting for it. A worker may already have started one: its status is kept then, and its
     * history still reads in order, as events are ordered by time and the publish came before any
     * delivery. A failure is logged: the jobs are in the broker whatever the database says (the
     * worker's claim moves them on, and the outbox relay's copy of one still ACCEPTED is suppressed
     * by the claim).
     */
    public CompletableFuture<Void> publishedAll(Map<String, Instant> sent) {
        return groupCommit.submit(sent.keySet(), c -> {
            try (Sql.Bound again = JOBS.prepare(c, "published-again"); Sql.Bound published = JOBS.prepare(c, "published")) {
                for (Map.Entry<String, Instant> job : sent.entrySet()) {
                    again.set("at", job.getValue()).set("id", job.getKey()).addBatch();
                    published.set("now", job.getValue()).set("id", job.getKey()).addBatch();
                }
                again.executeBatch();
                published.executeBatch();
            }
            return null;
        }).whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.warn("{} job(s) are in the broker but their status could not be updated: {}", sent.size(), failure.getMessage());
            }
        }).thenApply(done -> null);
    }

    /**
     * {@link #startAttempt}, for a delivery that can come before its job's row: an instance
     * publishes a job while its insert commits ({@link NewJobs#insert}), and on a shared database
     * another instance's worker can get the job first. There NOT_STORED waits a moment for the
     * row ({@code ROW_WAIT}) and claims again once it is there. A job
     * accepted less than {@code ROW_PATIENCE} ago whose row is still missing throws
     * StoreUnavailable: its instance may still be storing it (a slow or unreachable database
     * holds its insert for up to the pool's 30 s connection timeout), and the caller tries again
     * later, as for a database outage. An older one (its insert failed), or one of unknown age
     * ({@code acceptedAt} gives null), runs without a row.
     */
    public Claim startAttemptOnceStored(String id, int attempt, boolean redelivered, Supplier<Instant> acceptedAt) {
        Claim claim = startAttempt(id, attempt, redelivered);
        if (claim != Claim.NOT_STORED || groupCommit.isSoleWriter()) {
            return claim;
        }
        if (JobRows.awaitRow(dataSource, id, ROW_WAIT)) {
            return startAttempt(id, attempt, redelivered);
        }
        Instant accepted = acceptedAt.get();
        if (accepted != null && accepted.isAfter(Instant.now().minus(ROW_PATIENCE))) {
            throw new StoreUnavailable("job " + id + " has no row yet; the instance that accepted it may still be storing it", null);
        }
        return claim;
    }

    /**
     * Marks the job RUNNING for this attempt, unless it finished or another copy runs (a duplicate).
     * A RUNNING job is taken over by a {@code redelivered} delivery (a dead worker's job, or its copy
     * back from a retry queue), and by any delivery of a job the relay never took (its only copy).
     */
    public Claim startAttempt(String id, int attempt, boolean redelivered) {
        return groupCommit.run(List.of(id), c -> {
            Optional<JobRecord> stored; // on a shared database the row may commit between the updates
            // (not seen) and the read (seen): a job read as waiting is claimed again, not acked unrun
            for (int tries = 0; ; tries++) {
                try (Sql.Bound start = JOBS.prepare(c, "start-attempt")) {
                    Instant now = Instant.now();
                    start.set("attempt", attempt).set("now", now).set("published", null).set("id", id).set("redelivered", redelivered);
                    if (start.set("may_take_over", false).update() == 1) {
                        startedAgain(c, id, now, attempt);
                        return Claim.RUN;
                    }
                    if (start.set("may_take_over", true).update() == 1) {
                        JobRows.appendEvent(c, id, JobEventKind.ATTEMPT_STARTED, attempt, "took over a RUNNING job: its worker is taken to have died");
                        return Claim.TAKEN_OVER;
                    }
                }
                try (Sql.Bound find = JOBS.prepare(c, "find")) {
                    stored = find.set("id", id).one(JobRows::job);
                }
                if (stored.isEmpty() || tries > 0 || !CLAIMABLE.contains(stored.get().status())) {
                    break;
                }
            }
            if (stored.isEmpty()) {
                return Claim.NOT_STORED;
            }
            JobRows.appendEvent(c, id, JobEventKind.DUPLICATE_SUPPRESSED, attempt, stored.get().status() == JobStatus.RUNNING
                    ? "another copy of it is running; not run" : "delivered again after it finished; not run");
            return Claim.DUPLICATE;
        });
    }

    /** A history row for this start unless it was the job's first (that one is its started_at). */
    static void startedAgain(Connection c, String id, Instant at, int attempt) throws SQLException {
        try (Sql.Bound again = JOBS.prepare(c, "started-again")) {
            again.set("at", at).set("attempt", attempt).set("id", id).update();
        }
    }

    public void attemptFailed(String id, int attempt, String errorClass, String errorMessage) {
        groupCommit.run(List.of(id), c -> {
            try (Sql.Bound failed = JOBS.prepare(c, "attempt-failed")) {
                if (failed.set("error_class", errorClass).set("error_message", JobRows.cut(errorMessage, 1000)).set("id", id).update() == 1) {
                    JobRows.appendEvent(c, id, JobEventKind.ATTEMPT_FAILED, attempt, errorClass + ": " + errorMessage);
                }
            }
            return null;
        });
    }

    public void succeeded(String id, int attempt, String result) {
        groupCommit.run(List.of(id), finish(id, JobStatus.SUCCEEDED, attempt, null, null, null, result));
    }

    public void dead(String id, int attempts, String errorClass, String errorMessage, String stack) {
        groupCommit.run(List.of(id), finish(id, JobStatus.DEAD, attempts, errorClass, errorMessage, stack, null));
    }

    static Transactions.Work<Void> finish(String id, JobStatus status, int attempts, String errorClass, String errorMessage,
                                                  String stack, String result) {
        return c -> {
            try (Sql.Bound finish = JOBS.prepare(c, "finish")) {
                finish.set("status", status).set("now", Instant.now()).set("attempts", attempts).set("error_class", errorClass)
                        .set("error_message", JobRows.cut(errorMessage, 1000)).set("stack", JobRows.cut(stack, 4000))
                        .set("result", JobRows.cut(result, 4000)).set("id", id);
                // a success is the job's finished_at: no history row
                if (finish.update() == 1 && status == JobStatus.DEAD) {
                    JobRows.appendEvent(c, id, JobEventKind.DEAD_LETTERED, attempts, errorClass == null ? null : errorClass + ": " + errorMessage);
                }
            }
            return null;
        };
    }

    /**
     * Puts a dead job back to be published again (status ACCEPTED: the replay route publishes it
     * now, the outbox relay if that fails). Only a DEAD job can be replayed, so replaying twice
     * cannot make two runs. Returns false when the job is not dead (any more).
     */
    public boolean replay(String id, String by, Duration publishWithin) {
        return Transactions.run(dataSource, c -> {
            try (Sql.Bound replay = JOBS.prepare(c, "replay")) {
                if (replay.set("lease_until", Instant.now().plus(publishWithin)).set("id", id).update() != 1) {
                    return false;
                }
            }
            JobRows.appendEvent(c, id, JobEventKind.REPLAYED, null, "by " + by);
            return true;
        });
    }

    /** Discards a dead job: it stays, with its history, as DISCARDED. False when it is not dead. */
    public boolean discard(String id, String by) {
        return Transactions.run(dataSource, c -> {
            try (Sql.Bound discard = JOBS.prepare(c, "discard")) {
                if (discard.set("id", id).update() != 1) {
                    return false;
                }
            }
            JobRows.appendEvent(c, id, JobEventKind.DISCARDED, null, "by " + by);
            return true;
        });
    }

    /** Jobs an admin purged from their work queue: DISCARDED (if not finished), history event PURGED. */
    public void purged(List<String> ids, String detail) {
        if (ids.isEmpty()) {
            return;
        }
        Transactions.run(dataSource, c -> {
            try (Sql.Bound purged = JOBS.prepare(c, "purged")) {
                for (String id : ids) {
                    if (purged.set("now", Instant.now()).set("id", id).update() == 1) {
                        JobRows.appendEvent(c, id, JobEventKind.PURGED, null, detail);
                    }
                }
            }
            return null;
        });
    }

    /**
     * The broker lost the type's work queue (deleted, or a broker that lost its data): its QUEUED
     * jobs are in no queue any more, or (confirmed into the new queue just now) will be suppressed
     * as duplicates when their second copy comes. They go back to ACCEPTED, unleased, so the outbox
     * relay publishes them again. Returns how many.
     */
    public int requeueLost(String type, String why) {
        return requeueLost(type, null, why);
    }

    /** The same for the type's jobs confirmed before the given time only (all of them when null). */
    public int requeueLost(String type, Instant publishedBefore, String why) {
        return Transactions.run(dataSource, c -> {
            List<String> ids;
            try (Sql.Bound queued = JOBS.prepare(c, publishedBefore == null ? "queued-of-type" : "queued-of-type-before")) {
                queued.set("type", type);
                if (publishedBefore != null) {
                    queued.set("published_before", publishedBefore);
                }
                ids = queued.list(row -> row.getString("id"));
            }
            int requeued = 0;
            try (Sql.Bound requeue = JOBS.prepare(c, "requeue")) {
                for (String id : ids) {
                    if (requeue.set("now", Instant.now()).set("id", id).update() == 1) {
                        JobRows.appendEvent(c, id, JobEventKind.REQUEUED, null, why);
                        requeued++;
                    }
                }
            }
            return requeued;
        });
    }
}
