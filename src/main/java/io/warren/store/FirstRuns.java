package io.warren.store;

import static io.warren.store.JobRows.JOBS;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes of a job that runs once, first time, while its worker keeps up: what most jobs do,
 * so the fewest writes its guarantees allow (the writer thread was most of warren's CPU). Three
 * of the four status changes are folded into one update where they meet in time:
 * <ul>
 * <li>a first publish the broker confirmed is recorded (QUEUED, published_at) up to a second
 * later, not at once: when a worker of this instance claims the job first, its start carries the
 * publish. Nothing waits for this record (the 202 needs the job stored and confirmed), and the
 * delay is kept well below the outbox relay's, which would otherwise take a confirmed job for an
 * unconfirmed one;
 * <li>a claim is queued for the next shared commit, not waited for, when the job reads as waiting
 * for its first run, or without the read when this instance sent it moments ago;
 * <li>a success that comes while its start is still held (25 ms) or queued is written together
 * with it, in one update. A job that runs longer shows RUNNING after that.
 * </ul>
 * A job whose records are lost with the process (kill -9) was never acked: it runs again, as with
 * any at-least-once worker; one whose publish record is lost is published again by the outbox
 * relay, and the claim suppresses that copy.
 */
public final class FirstRuns implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FirstRuns.class);

    private final DataSource dataSource;
    private final GroupCommit groupCommit;
    private final JobTransitions transitions;
    private static final Duration MAX_MARK_DELAY = Duration.ofSeconds(1);
    /** How long a first start is held for its success to come and write both (see HeldStarts). */
    private static final Duration START_HOLD = Duration.ofMillis(25);
    private final long markDelayNanos;
    private final Duration trustMarkFor;
    /** First publishes sent and not recorded yet (in markOrder once confirmed). */
    private final Map<String, Sent> marks = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Mark> markOrder = new ConcurrentLinkedQueue<>();
    private final HeldStarts starts;
    private final ScheduledExecutorService marker;
    private volatile boolean open = true;

    private record Mark(String id, Instant sentAt, long dueNanos) {
    }

    /**
     * When a job's first publish was sent, until when no outbox relay can have copied it, and
     * whether the job had never been started then (a dead job replayed had).
     */
    private record Sent(Instant at, Instant trustUntil, boolean neverStarted) {
    }

    /** {@code relayAfter}: how long after its acceptance the outbox relay may take a job (its mark is recorded within a fifth of that). */
    public FirstRuns(DataSource dataSource, GroupCommit groupCommit, JobTransitions transitions, Duration relayAfter) {
        Duration markDelay = relayAfter.dividedBy(5).compareTo(MAX_MARK_DELAY) < 0 ? relayAfter.dividedBy(5) : MAX_MARK_DELAY;
        this.trustMarkFor = relayAfter.dividedBy(2);
        this.dataSource = dataSource;
        this.groupCommit = groupCommit;
        this.transitions = transitions;
        this.markDelayNanos = markDelay.toNanos();
        this.starts = new HeldStarts(groupCommit, START_HOLD.toNanos());
        this.marker = DaemonTimer.named("warren-publish-marks");
        long period = Math.max(10, markDelay.toMillis() / 2);
        marker.scheduleWithFixedDelay(() -> recordMarks(false), period, period, TimeUnit.MILLISECONDS);
        marker.scheduleWithFixedDelay(() -> starts.releaseDue(false), 10, 10, TimeUnit.MILLISECONDS);
    }

    /**
     * These jobs' first publish is being sent at {@code sentAt}. Until the broker confirms it, only
     * this instance's worker may use the mark (a delivery proves the publish); then it is recorded
     * soon, or with the job's start.
     */
    public void publishing(List<JobRecord> jobs, Instant sentAt) {
        for (JobRecord job : jobs) {
            // the relay may take a job relay-after past its acceptance, however late it was sent
            Instant from = job.acceptedAt() != null && job.acceptedAt().isBefore(sentAt) ? job.acceptedAt() : sentAt;
            marks.put(job.id(), new Sent(sentAt, from.plus(trustMarkFor), job.attempts() == 0));
        }
    }

    /** The broker confirmed these of the jobs sent at {@code sentAt}; the others were not, and their marks go. */
    public void published(List<String> confirmed, List<String> unconfirmed, Instant sentAt) {
        unconfirmed.forEach(id -> marks.computeIfPresent(id, (key, sent) -> sent.at().equals(sentAt) ? null : sent));
        long due = System.nanoTime() + markDelayNanos;
        confirmed.forEach(id -> markOrder.add(new Mark(id, sentAt, due)));
        if (!open) {
            recordMarks(true); // closed: at once
        }
    }

    /**
     * Records every confirmed publish still waiting, and returns once that committed: before a
     * sweep that looks for QUEUED jobs (a work queue gone), which would otherwise miss these.
     */
    public void recordConfirmed() {
        starts.releaseDue(true); // a held start of a job the sweep would find QUEUED goes first
        try {
            recordMarks(true).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Confirmed publishes could not be recorded before the sweep: {}", e.getMessage());
        }
    }

    /**
     * The marks whose time came (all confirmed ones: {@code all}), as one shared-commit work. One
     * caller at a time, submit included: the future of an {@code all} completes after every mark
     * taken before it committed (a work is submitted even when none is left).
     */
    private synchronized CompletableFuture<Void> recordMarks(boolean all) {
        Map<String, Instant> due = new LinkedHashMap<>();
        long now = System.nanoTime();
        // the only taker of markOrder (synchronized), so the head it looked at is the one it polls
        for (Mark head = markOrder.peek(); head != null && (all || head.dueNanos() - now <= 0); head = markOrder.peek()) {
            markOrder.poll();
            Sent sent = marks.get(head.id());
            if (sent != null && sent.at().equals(head.sentAt()) && marks.remove(head.id(), sent)) {
                due.put(head.id(), head.sentAt());
            }
        }
        if (!due.isEmpty()) {
            return transitions.publishedAll(due);
        }
        return all ? groupCommit.submit(List.of(), c -> null) : CompletableFuture.completedFuture(null);
    }

    /**
     * Whether a first delivery of the job's only copy may run without waiting for its claim to be
     * written. Yes when this instance sent the job moments ago and no worker of it has claimed it
     * (its mark is there), sooner than any outbox relay may have taken it (half the relay-after
     * delay after its acceptance): that read is skipped. Otherwise read on a connection of its own: ACCEPTED or QUEUED
     * and never taken by the relay, or not stored yet where this instance is the database's only
     * writer (its insert is then still queued ahead of anything queued now).
     */
    public boolean waiting(String id) {
        Sent sent = marks.get(id);
        if (sent != null && Instant.now().isBefore(sent.trustUntil())) {
            return true;
        }
        Optional<Boolean> waiting = Transactions.run(dataSource, c -> {
            try (Sql.Bound read = JOBS.prepare(c, "waiting")) {
                return read.set("id", id).one(row -> {
                    JobStatus status = JobStatus.valueOf(row.getString("status"));
                    return (status == JobStatus.ACCEPTED || status == JobStatus.QUEUED) && !row.getBoolean("relayed");
                });
            }
        });
        return waiting.orElse(groupCommit.isSoleWriter());
    }

    /**
     * Records the start of a first attempt without waiting: held a moment ({@link HeldStarts}), then
     * in a shared commit. For a job whose status was just read as waiting. Its worker runs it
     * meanwhile; a failure it records later goes behind this ({@link #startNow}). The future says
     * whether the claim held (DUPLICATE: a copy of the job started or finished in between, so two
     * ran; NOT_STORED: not a job of ours). A start that takes the mark of a job never started
     * before is its first: a mark goes with the first delivery's start of its publish.
     */
    public CompletableFuture<JobTransitions.Claim> startLater(String id, int attempt) {
        Sent sent = marks.remove(id);
        CompletableFuture<JobTransitions.Claim> claim = starts.hold(id, attempt, sent == null ? null : sent.at(),
                sent != null && sent.neverStarted());
        if (!open) {
            starts.releaseDue(true); // closed: nothing releases it later
        }
        return claim;
    }

    /** Sends the job's start, if it is still held, to the shared commit before whatever the caller records next of it. */
    public void startNow(String id) {
        starts.release(id);
    }

    /**
     * The success, in the next shared transaction, without waiting for it: the future completes once
     * it committed (or with why it did not); the worker acks the delivery only then. With its start
     * still queued, one update records both.
     */
    public CompletableFuture<Void> succeededLater(String id, int attempt, String result) {
        HeldStarts.Start start = starts.takeBySuccess(id);
        Transactions.Work<Void> finish = JobTransitions.finish(id, JobStatus.SUCCEEDED, attempt, null, null, null, result);
        if (start == null) {
            return groupCommit.submit(List.of(id), finish);
        }
        Instant now = Instant.now();
        return groupCommit.submit(List.of(id), new StatementWork<>("start-and-succeed",
                both -> both.set("attempt", attempt).set("started", start.at).set("published", start.published).set("now", now)
                        .set("result", JobRows.cut(result, 4000)).set("id", id),
                (c, changed) -> {
                    if (changed == 1) {
                        if (start.mayBeAgain()) {
                            JobTransitions.startedAgain(c, id, start.at, attempt);
                        }
                        return null;
                    }
                    LOG.warn("Job {} was started by another copy while this one ran: both ran", id);
                    return finish.run(c);
                }, true));
    }

    /** Records the starts and marks still waiting; later ones are recorded at once. */
    @Override
    public void close() {
        open = false;
        marker.shutdownNow();
        starts.releaseDue(true);
        recordMarks(true);
    }
}
