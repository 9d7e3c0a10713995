package io.warren.worker;

import io.warren.api.Job;
import io.warren.api.JobHeaders;
import io.warren.api.PermanentJobFailure;
import io.warren.broker.JobTopology;
import io.warren.store.StoreUnavailable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;

/**
 * What happens to one delivery of a job type's work queue, whatever its route does with the job:
 * claim it, run attempts, and end with an ack (done, dead-lettered, or waiting in a retry queue),
 * a reject (the dead letter was refused: the work queue's dead-letter exchange takes it) or a
 * requeue (warren is stopping). A failed attempt with retries left waits in the retry queue of its
 * delay, holding no consumer thread and no prefetch slot; with retries in place the delivery
 * waits here instead. Only after a copy is confirmed is the original acked.
 *
 * <p>Success is pipelined: the consumer thread goes on to its next delivery while the SUCCEEDED
 * record waits for the next shared commit, and the ack follows that commit. So a consumer is never
 * held for a commit after its job ran, and the commits carry more records each. A job whose record
 * is lost with the process (kill -9 before the commit) was never acked: the broker delivers it
 * again and it runs again, as with any at-least-once worker.
 */
public class JobWorker {

    private static final Logger LOG = LoggerFactory.getLogger(JobWorker.class);

    /** How the delivery ends. */
    public enum Ack { ACK, REJECT, REQUEUE }

    /** One attempt of the job's route: the failure (null when it succeeded) and the result to record. */
    public record Outcome(Throwable failure, String result) {
    }

    /** Runs the job's route once. */
    public interface Attempt {
        Outcome run(Job job, Delivery delivery);
    }

    private final String type;
    private final String route;
    private final RetrySchedule schedule;
    private final boolean retryQueues;
    private final JobTopology topology;
    private final JobSteps steps;
    private final DeadLetterReason reasons;
    private final Republisher republisher;
    private final BooleanSupplier stopping;
    /** Records that failed in the shared commit (database away) are retried here, off the writer thread. */
    private static final ExecutorService STORE_RETRIES = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "warren-store-retry");
        thread.setDaemon(true);
        return thread;
    });

    public JobWorker(String type, String route, RetrySchedule schedule, boolean retryQueues, JobTopology topology, JobSteps steps,
                     DeadLetterReason reasons, Republisher republisher, BooleanSupplier stopping) {
        this.type = type;
        this.route = route;
        this.schedule = schedule;
        this.retryQueues = retryQueues;
        this.topology = topology;
        this.steps = steps;
        this.reasons = reasons;
        this.republisher = republisher;
        this.stopping = stopping;
    }

    /** Handles the delivery; the future says how it ends, once what it depends on is stored. */
    public CompletableFuture<Ack> handle(Message message, Attempt attempt) {
        Delivery delivery = Delivery.of(message, type);
        Boolean claimed = untilStored(() -> steps.claim(delivery));
        if (claimed == null) {
            return CompletableFuture.completedFuture(Ack.REQUEUE);
        }
        if (!claimed) {
            return CompletableFuture.completedFuture(Ack.ACK);
        }
        return attempts(delivery, message, attempt);
    }

    private CompletableFuture<Ack> attempts(Delivery delivery, Message message, Attempt attempt) {
        int number = delivery.firstAttempt();
        while (true) {
            Job job;
            try {
                job = JobExecution.read(message, type, number);
            } catch (PermanentJobFailure poison) {
                steps.attemptFailed(delivery, number, poison);
                return CompletableFuture.completedFuture(deadLetter(delivery, number, poison));
            }
            long started = System.nanoTime();
            Outcome outcome = attempt.run(job, delivery);
            if (outcome.failure() == null) {
                return succeeded(delivery, number, outcome.result(), Duration.ofNanos(System.nanoTime() - started));
            }
            Throwable failure = outcome.failure();
            steps.attemptFailed(delivery, number, failure);
            if (permanent(failure) || !schedule.retriesAfter(number)) {
                return CompletableFuture.completedFuture(deadLetter(delivery, number, failure));
            }
            long delay = schedule.delayAfter(number);
            LOG.warn("Job {} of type '{}' failed attempt {} ({}: {}); retry in {} ms", delivery.id(), type, number,
                    failure.getClass().getSimpleName(), failure.getMessage(), delay);
            if (retryQueues && queuedForRetry(delivery, number, delay)) {
                return CompletableFuture.completedFuture(Ack.ACK);
            }
            if (!pause(delay)) {
                return CompletableFuture.completedFuture(Ack.REQUEUE);
            }
            number++;
            steps.retryingInPlace(delivery, number);
        }
    }

    /**
     * Records the success in the next shared commit; acked once it committed. While warren stops,
     * the consumer waits for it, so the ack goes out before the consumer's channel closes. If the
     * database was away, the record is tried again (off the writer thread) until it is stored.
     */
    private CompletableFuture<Ack> succeeded(Delivery delivery, int attempt, String result, Duration took) {
        CompletableFuture<Ack> ack = steps.succeeded(delivery, attempt, result, took).handle((stored, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(Ack.ACK);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (!(cause instanceof StoreUnavailable)) {
                LOG.error("The success of job {} could not be recorded; it goes back to its queue", delivery.id(), cause);
                return CompletableFuture.completedFuture(Ack.REQUEUE);
            }
            return CompletableFuture.supplyAsync(() -> untilStored(() -> {
                steps.succeededNow(delivery, attempt, result, took);
                return true;
            }) == null ? Ack.REQUEUE : Ack.ACK, STORE_RETRIES);
        }).thenCompose(next -> next);
        if (stopping.getAsBoolean()) {
            ack.join();
        }
        return ack;
    }

    /** Sends the job to wait out its back-off in the retry queue of that delay; false when the broker did not take it. */
    private boolean queuedForRetry(Delivery delivery, int attempt, long delay) {
        Message copy = MessageBuilder.fromClonedMessage(delivery.message()).build();
        copy.getMessageProperties().setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        copy.getMessageProperties().setHeader(JobHeaders.RETRY_OF_ATTEMPT, attempt);
        // this copy is the job's only one now, not a second copy of a running job
        copy.getMessageProperties().getHeaders().remove(JobHeaders.REPUBLISHED);
        try {
            republisher.publish("", topology.retryQueue(type, delay), copy);
            steps.retryQueued(delivery);
            return true;
        } catch (Exception e) {
            LOG.warn("The retry queue did not take job {} ({}); it waits in place instead", delivery.id(), e.getMessage());
            return false;
        }
    }

    /**
     * Publishes the dead letter and records the job DEAD. If the broker does not take it, the job is
     * recorded DEAD all the same and the delivery rejected: the work queue's x-dead-letter-exchange
     * moves it to the dead-letter queue (without the reason headers).
     */
    private Ack deadLetter(Delivery delivery, int attempts, Throwable failure) {
        DeadLetterReason.Reason reason = reasons.of(failure);
        Ack ack = Ack.ACK;
        try {
            republisher.publish(topology.names().deadExchange(), type,
                    reasons.deadLetter(delivery.message(), reason, attempts, topology.workQueue(type), route));
        } catch (Exception refused) {
            LOG.warn("The dead letter of job {} was not taken by the broker ({}); it is rejected to the work queue's "
                    + "dead-letter exchange instead", delivery.id(), refused.getMessage());
            ack = Ack.REJECT;
        }
        LOG.warn("Job {} of type '{}' is dead after {} attempt(s): {}: {}", delivery.id(), type, attempts,
                reason.errorClass(), reason.message());
        steps.dead(delivery, attempts, reason);
        return ack;
    }

    private static boolean permanent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PermanentJobFailure) {
                return true;
            }
        }
        return false;
    }

    /**
     * The job database is down: not the job's fault. The step is tried again until it is back, not
     * counted against the job; null when warren stops meanwhile (the delivery goes back to its queue).
     */
    private <T> T untilStored(Supplier<T> step) {
        long wait = 1000;
        while (true) {
            try {
                return step.get();
            } catch (StoreUnavailable e) {
                LOG.warn("Job store unavailable ({}); trying again in {} ms", e.getMessage(), wait);
                if (!pause(wait)) {
                    return null;
                }
                wait = Math.min(wait * 2, 30_000);
            }
        }
    }

    /** Waits, in slices so a stopping warren is not held up; false when warren began stopping. */
    private boolean pause(long millis) {
        long until = System.nanoTime() + Duration.ofMillis(millis).toNanos();
        try {
            while (System.nanoTime() < until) {
                if (stopping.getAsBoolean()) {
                    return false;
                }
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !stopping.getAsBoolean();
    }
}
