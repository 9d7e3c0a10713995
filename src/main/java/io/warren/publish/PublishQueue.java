package io.warren.publish;

import io.warren.store.JobRecord;
import io.warren.store.NewJobs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;

/**
 * New jobs' publishes, after their commit and gathered (answer-after=commit). The answer waits for
 * the commit only, so the publish need not run on the request's thread beside the insert: one
 * thread publishes what the commits released since its last turn, together, in a few socket
 * writes ({@code ConfirmedPublisher.publishAll}) rather than one per job. Measured: 14–22 % less
 * CPU per job and half the paced tail (docs/benchmarks.md, thirty-fifth round). A job is published
 * only once stored, so a worker's claim always finds its row.
 *
 * <p>Back-pressure as before: at most {@code places} jobs wait here. A single job's request takes
 * its place before its insert, a batch's after its one insert ({@link #acceptAll}), on its own thread, and waits for one as long as it waited for a place among
 * the confirms in flight when it published itself; the publishing thread waits for those. A job
 * that got no place in time is answered all the same, and the outbox relay publishes it.
 */
final class PublishQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PublishQueue.class);
    private static final int MOST_PER_TURN = 500;

    private final JobPublisher publisher;
    private final long timeoutMillis;
    private final Semaphore places;
    private final LinkedBlockingQueue<JobRecord> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean open = true;

    /** {@code timeoutMillis}: how long a request waits for a place, and each publish for its confirm (the confirm timeout). */
    PublishQueue(JobPublisher publisher, int places, long timeoutMillis) {
        this.publisher = publisher;
        this.timeoutMillis = timeoutMillis;
        this.places = new Semaphore(places);
        this.thread = new Thread(this::publishLoop, "warren-publish");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A new job, accepted once stored, then queued for its publish. A job not stored is not
     * published at all; one that waited in vain for a place is the outbox relay's to publish.
     */
    CompletableFuture<Void> accept(NewJobs.Inserted stored) {
        return accept(stored, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    }

    /**
     * Committed jobs of one request (the batch endpoint), accepted as {@link #accept}'s: they wait
     * for their places together, up to the timeout in all, so a full queue holds the request no
     * longer than it holds one job, and never on the broker.
     */
    void acceptAll(List<JobRecord> committed) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (JobRecord job : committed) {
            queue(job, reserve(job, deadline));
        }
    }

    private CompletableFuture<Void> accept(NewJobs.Inserted stored, long deadline) {
        JobRecord job = stored.job();
        boolean placed = reserve(job, deadline);
        return stored.commit().handle((done, error) -> {
            if (error != null) {
                if (placed) {
                    places.release();
                }
                throw error instanceof CompletionException wrapped ? wrapped : new CompletionException(error);
            }
            queue(job, placed);
            return null;
        });
    }

    /** A place for the job's publish, waited for until the deadline; without one it is the relay's. */
    private boolean reserve(JobRecord job, long deadline) {
        boolean placed;
        try {
            placed = places.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            placed = false;
        }
        if (!placed) {
            publisher.refused(job, new TimeoutException("no place to publish it within " + timeoutMillis + " ms"));
        }
        return placed;
    }

    /** A stored job, accepted: queued for its publish if it has its place. */
    private void queue(JobRecord job, boolean placed) {
        publisher.accepted(job);
        if (placed) {
            queue.add(job);
        }
    }

    private void publishLoop() {
        List<JobRecord> turn = new ArrayList<>(MOST_PER_TURN);
        while (open || !queue.isEmpty()) {
            try {
                JobRecord first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                turn.add(first);
                queue.drainTo(turn, MOST_PER_TURN - 1);
                places.release(turn.size());
                publish(List.copyOf(turn));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) { // not foreseen; they are stored: the outbox relay publishes them
                LOG.warn("Publishing {} new job(s) failed; the outbox relay publishes them", turn.size(), e);
            } finally {
                turn.clear();
            }
        }
    }

    /** One turn: stored jobs, published; one the broker does not confirm is the relay's. */
    private void publish(List<JobRecord> jobs) {
        try {
            publisher.publishAsync(jobs, false).whenComplete((confirmed, error) -> {
                if (error != null) {
                    LOG.warn("Recording the publish of {} job(s) failed; the outbox relay publishes them again", jobs.size(), error);
                } else if (confirmed.size() < jobs.size()) {
                    Set<JobRecord> taken = Collections.newSetFromMap(new IdentityHashMap<>()); // a turn holds up to 500
                    taken.addAll(confirmed);
                    jobs.stream().filter(job -> !taken.contains(job))
                            .forEach(job -> publisher.refused(job, new TimeoutException("no confirm within " + timeoutMillis + " ms")));
                }
            });
        } catch (AmqpException | RejectedExecutionException e) {
            jobs.forEach(job -> publisher.refused(job, e));
        }
    }

    /** Publishes what is queued, then stops; what is left after 10 s stays stored for the relay. */
    @Override
    public void close() {
        open = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
