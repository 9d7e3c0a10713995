package io.warren.store;

import static io.warren.store.JobRows.JOBS;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * First starts not waited for ({@link FirstRuns#startLater}), held a moment before they go to the
 * shared commit: a fast job's success comes within that moment and writes its start with it, in
 * one update. Queued at once, the start was written in the next commit (every 2 ms or so under
 * load) before the success came, so most jobs cost three writes instead of two, and the writer
 * thread was warren's busiest. A job that runs longer shows RUNNING the hold later.
 *
 * <p>Order: any other record of the job (a failure, a retry, a success written on its own) must
 * come after its start; {@link #release} sends a held start to the shared commit's queue first.
 */
final class HeldStarts {

    /** A start, held, then queued for the shared commit; its success may take it over until it is written. */
    static final class Start {
        private static final int HELD = 0, QUEUED = 1, WRITING = 2, TAKEN_BY_SUCCESS = 3;
        final String id;
        final int attempt;
        final Instant at = Instant.now(); // the time it started, not the time of the commit
        final Instant published;
        final boolean first;
        final long dueNanos;
        final CompletableFuture<JobTransitions.Claim> claim = new CompletableFuture<>();
        private final AtomicInteger state = new AtomicInteger(HELD);

        Start(String id, int attempt, Instant published, boolean first, long dueNanos) {
            this.id = id;
            this.attempt = attempt;
            this.published = published;
            this.first = first;
            this.dueNanos = dueNanos;
        }

        /** For the writer: false when the success took it; true again if a failed shared commit runs it once more. */
        boolean write() {
            return state.getAndUpdate(s -> s == TAKEN_BY_SUCCESS ? s : WRITING) != TAKEN_BY_SUCCESS;
        }

        /** Fails only once the writer has it: then the success, queued after it, is written after it. */
        boolean takeBySuccess() {
            for (int s = state.get(); s == HELD || s == QUEUED; s = state.get()) {
                if (state.compareAndSet(s, TAKEN_BY_SUCCESS)) {
                    return true;
                }
            }
            return false;
        }

        boolean queue() {
            return state.compareAndSet(HELD, QUEUED);
        }

        /**
         * Whether this start may be a job's second or later: not when it is the first delivery of
         * a job never started before (FirstRuns#startLater). A first start needs no history row,
         * so its statement, a fifth of the writer's time on PostgreSQL, is skipped.
         */
        boolean mayBeAgain() {
            return !first || attempt > 1;
        }
    }

    private final GroupCommit groupCommit;
    private final long holdNanos;
    private final Map<String, Start> starts = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Start> held = new ConcurrentLinkedQueue<>();

    HeldStarts(GroupCommit groupCommit, long holdNanos) {
        this.groupCommit = groupCommit;
        this.holdNanos = holdNanos;
    }

    /** Holds the start ({@code first}: of a job never started before); the future says whether its claim held once it was written. */
    CompletableFuture<JobTransitions.Claim> hold(String id, int attempt, Instant published, boolean first) {
        Start start = new Start(id, attempt, published, first, System.nanoTime() + holdNanos);
        starts.put(id, start);
        held.add(start);
        return start.claim;
    }

    /** The job's start, held or queued and not written yet, for its success to take over; null if there is none. */
    Start takeBySuccess(String id) {
        Start start = starts.remove(id);
        if (start == null || !start.takeBySuccess()) {
            return null;
        }
        start.claim.complete(JobTransitions.Claim.RUN);
        return start;
    }

    /**
     * Queues the job's held start now, ahead of whatever the caller records next. Synchronized with
     * {@link #releaseDue}: a start that one marked queued is in the shared commit's queue before
     * the other returns.
     */
    synchronized void release(String id) {
        Start start = starts.get(id);
        if (start != null && start.queue()) {
            submit(List.of(start));
        }
    }

    /** Queues the starts whose hold is over ({@code all}: every one), as one shared-commit work. */
    synchronized void releaseDue(boolean all) {
        List<Start> due = new ArrayList<>();
        long now = System.nanoTime();
        // the only taker of held (synchronized), so the head it looked at is the one it polls
        for (Start head = held.peek(); head != null && (all || head.dueNanos - now <= 0); head = held.peek()) {
            held.poll();
            if (head.queue()) {
                due.add(head);
            }
        }
        if (!due.isEmpty()) {
            submit(due);
        }
    }

    /**
     * A work each, as any record of a job is: one that fails (a lock timeout on a shared database)
     * fails alone. Their claims complete on the commit's callback thread, never the writer's.
     */
    private void submit(List<Start> due) {
        for (Start start : due) {
            groupCommit.submit(List.of(start.id), c -> start.write() ? write(c, start) : JobTransitions.Claim.RUN)
                    .whenComplete((claim, failure) -> {
                        starts.remove(start.id, start);
                        if (failure != null) {
                            start.claim.completeExceptionally(failure);
                        } else {
                            start.claim.complete(claim);
                        }
                    });
        }
    }

    private static JobTransitions.Claim write(Connection c, Start start) throws SQLException {
        try (Sql.Bound starting = JOBS.prepare(c, "start-attempt")) {
            if (starting.set("attempt", start.attempt).set("now", start.at).set("published", start.published).set("id", start.id)
                    .set("may_take_over", false).set("redelivered", false).update() == 1) {
                if (start.mayBeAgain()) {
                    JobTransitions.startedAgain(c, start.id, start.at, start.attempt);
                }
                return JobTransitions.Claim.RUN;
            }
        }
        try (Sql.Bound find = JOBS.prepare(c, "status")) {
            return find.set("id", start.id).one(row -> JobTransitions.Claim.DUPLICATE).orElse(JobTransitions.Claim.NOT_STORED);
        }
    }
}
