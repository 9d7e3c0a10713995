package io.warren.worker;

import io.warren.api.JobHeaders;
import io.warren.observe.JobMetrics;
import io.warren.store.FirstRuns;
import io.warren.store.JobTransitions;
import io.warren.store.StoreUnavailable;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job store's and the metrics' part in a delivery: claim the job before its first attempt (a
 * job that already finished is not run again), record each failed attempt, each retry, success and
 * the dead letter. Deliveries without a job id (another client's message) are only counted.
 */
public class JobSteps {

    private static final Logger LOG = LoggerFactory.getLogger(JobSteps.class);

    private final JobTransitions transitions;
    private final FirstRuns firstRuns;
    private final JobMetrics metrics;

    public JobSteps(JobTransitions transitions, FirstRuns firstRuns, JobMetrics metrics) {
        this.transitions = transitions;
        this.firstRuns = firstRuns;
        this.metrics = metrics;
    }

    /** Before the delivery's first attempt: false for a duplicate, which is acked without running. */
    public boolean claim(Delivery delivery) {
        if (delivery.id() == null) {
            return true;
        }
        if (waitingFirstCopy(delivery)) {
            firstRuns.startLater(delivery.id(), delivery.firstAttempt()).whenComplete((claim, failure) -> {
                if (failure != null) {
                    LOG.warn("Could not record the start of job {}: {}", delivery.id(), failure.getMessage());
                } else if (claim == JobTransitions.Claim.DUPLICATE) {
                    LOG.warn("Job {} was started by another copy while this one ran: both ran", delivery.id());
                }
            });
            return true;
        }
        // the broker's redelivery (the worker it was on died) and the job's copy back from a retry
        // queue (its only copy: RETRYING may not have been stored) may take a RUNNING job over; a
        // first delivery only if the relay never made a second copy (JobTransitions.startAttempt)
        boolean redelivered = delivery.redelivered() || delivery.firstAttempt() > 1;
        JobTransitions.Claim claim = transitions.startAttemptOnceStored(delivery.id(), delivery.firstAttempt(), redelivered,
                () -> acceptedAt(delivery));
        if (claim == JobTransitions.Claim.DUPLICATE) {
            LOG.info("Job {} was delivered again after it finished or while another copy runs; acknowledged without running it",
                    delivery.id());
            metrics.duplicateSuppressed(delivery.type());
            return false;
        }
        if (claim == JobTransitions.Claim.TAKEN_OVER) {
            // at least once: if the worker that set RUNNING still lives (only its channel died), both run
            LOG.warn("Job {} was RUNNING when the broker delivered it again; taken over here (if its first worker still runs it, it runs twice)",
                    delivery.id());
        }
        return true;
    }

    private static Instant acceptedAt(Delivery delivery) {
        Object header = delivery.message().getMessageProperties().getHeader(JobHeaders.ACCEPTED_AT);
        return header == null ? null : JobExecution.instant(header.toString());
    }

    /**
     * The broker's first delivery of the job's only copy (not redelivered, not a copy the relay
     * published, not back from a retry queue), and the job reads as waiting and never taken by the
     * relay (which would have made a second copy): nothing can be running it, so the claim need not
     * be waited for. Duplicates are recognised by this read; the write
     * joins the next shared commit while the job runs, and for a fast job lands in the same commit
     * as its success. Anything else (a redelivery, a copy, a job that reads RUNNING or finished)
     * takes the claim that waits, which decides between copies.
     */
    private boolean waitingFirstCopy(Delivery delivery) {
        return !delivery.redelivered() && !delivery.republished() && delivery.firstAttempt() == 1
                && firstRuns.waiting(delivery.id());
    }

    /** Right after a failed attempt. */
    public void attemptFailed(Delivery delivery, int attempt, Throwable failure) {
        metrics.attemptFailed(delivery.type());
        if (delivery.id() != null) {
            bestEffort(delivery.id(), () -> transitions.attemptFailed(delivery.id(), attempt, failure.getClass().getName(),
                    String.valueOf(failure.getMessage())));
        }
    }

    /** The job waits in a retry queue: its next delivery's claim records the next attempt. */
    public void retryQueued(Delivery delivery) {
        metrics.retried(delivery.type());
    }

    /** The same delivery is about to run attempt {@code attempt} again, in place. */
    public void retryingInPlace(Delivery delivery, int attempt) {
        metrics.retried(delivery.type());
        if (delivery.id() != null) {
            bestEffort(delivery.id(), () -> transitions.startAttempt(delivery.id(), attempt, true));
        }
    }

    /**
     * After a successful attempt: recorded in the next shared transaction, not waited for; the
     * future completes once it committed, or with why not (StoreUnavailable: the database is away).
     */
    public CompletableFuture<Void> succeeded(Delivery delivery, int attempt, String result, Duration processing) {
        CompletableFuture<Void> stored = delivery.id() == null ? CompletableFuture.completedFuture(null)
                : firstRuns.succeededLater(delivery.id(), attempt, result);
        return stored.thenRun(() -> metrics.succeeded(delivery.type(), processing));
    }

    /** The same, waited for: when recording it later failed; throws StoreUnavailable while the database is away. */
    public void succeededNow(Delivery delivery, int attempt, String result, Duration processing) {
        if (delivery.id() != null) {
            firstRuns.startNow(delivery.id());
            transitions.succeeded(delivery.id(), attempt, result);
        }
        metrics.succeeded(delivery.type(), processing);
    }

    /** After the dead letter was published (or, refused, rejected to the work queue's dead-letter exchange). */
    public void dead(Delivery delivery, int attempts, DeadLetterReason.Reason reason) {
        metrics.deadLettered(delivery.type());
        if (delivery.id() != null) {
            bestEffort(delivery.id(), () -> transitions.dead(delivery.id(), attempts, reason.errorClass(), reason.message(),
                    reason.stack()));
        }
    }

    /**
     * Status bookkeeping between attempts must not turn a retry into a different failure. A start
     * still held (FirstRuns) is written first.
     */
    private void bestEffort(String id, Runnable update) {
        firstRuns.startNow(id);
        try {
            update.run();
        } catch (StoreUnavailable e) {
            LOG.warn("Could not record the attempt of job {}: {}", id, e.getMessage());
        }
    }
}
