package io.warren.publish;

import io.warren.broker.ConfirmedPublisher;
import io.warren.broker.JobTopology;
import io.warren.observe.JobMetrics;
import io.warren.observe.OutageLog;
import io.warren.store.FirstRuns;
import io.warren.store.Futures;
import io.warren.store.JobRecord;
import io.warren.store.JobTransitions;
import io.warren.store.NewJobs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;

/**
 * The one way a job reaches the broker, for the intake, the batch endpoint, the outbox relay and
 * the dead-letter replay: built from the stored job ({@link JobMessage}), published persistent
 * to its exchange with the type as routing key, each with its own confirm and all of a call's jobs
 * in flight at once ({@link ConfirmedPublisher}); confirmed jobs are recorded QUEUED (a first
 * publish a little later, {@link FirstRuns}); the rest stay stored (ACCEPTED) for the outbox relay.
 */
public class JobPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JobPublisher.class);

    private ConfirmedPublisher broker;
    private JobTopology topology;
    private long confirmTimeoutMillis = 5_000;
    private NewJobs newJobs;
    private JobTransitions transitions;
    private FirstRuns firstRuns;
    private JobMetrics metrics;
    private boolean outbox = true;
    /** answer-after=commit: new jobs' publishes, after their commit; null: answered after the confirm. */
    private PublishQueue afterCommit;
    private final OutageLog outage = new OutageLog();

    public void setBroker(ConfirmedPublisher broker) {
        this.broker = broker;
    }

    /** Where each type's jobs go: the jobs exchange, or the one the type's route named. */
    public void setTopology(JobTopology topology) {
        this.topology = topology;
    }

    public void setConfirmTimeoutMillis(long confirmTimeoutMillis) {
        this.confirmTimeoutMillis = confirmTimeoutMillis;
    }

    public void setNewJobs(NewJobs newJobs) {
        this.newJobs = newJobs;
    }

    public void setTransitions(JobTransitions transitions) {
        this.transitions = transitions;
    }

    public void setFirstRuns(FirstRuns firstRuns) {
        this.firstRuns = firstRuns;
    }

    public void setMetrics(JobMetrics metrics) {
        this.metrics = metrics;
    }

    public void setOutbox(boolean outbox) {
        this.outbox = outbox;
    }

    /**
     * warren.intake.answer-after=commit: a new job is answered once stored, and published after its
     * commit with others (needs the outbox); at most {@code queued} wait for their publish, a request up to {@code timeoutMillis} for a place.
     */
    public void answerAfterCommit(int queued, long timeoutMillis) {
        afterCommit = new PublishQueue(this, queued, timeoutMillis);
    }

    /** answer-after=commit: the batch endpoint's committed jobs, queued as {@link #accept}'s (true); otherwise false, the caller publishes them. */
    public boolean acceptCommitted(List<JobRecord> committed) {
        if (afterCommit != null) {
            afterCommit.acceptAll(committed);
        }
        return afterCommit != null;
    }

    /**
     * A new job (intake, warren:submit), accepted once stored and confirmed; insert and publish run
     * side by side, what follows on the later one's thread. Not confirmed: with the outbox it stays
     * stored for the relay; without, it is taken back. answer-after=commit: {@link PublishQueue#accept}.
     */
    public CompletableFuture<Void> accept(NewJobs.Inserted stored) {
        if (afterCommit != null) {
            return afterCommit.accept(stored);
        }
        JobRecord job = stored.job();
        CompletableFuture<Exception> refusal;
        try {
            refusal = publishAsync(List.of(job), false).thenApply(done -> done.isEmpty()
                    ? new TimeoutException("The broker did not confirm job " + job.id() + " within " + confirmTimeoutMillis + " ms")
                    : null);
        } catch (AmqpException | RejectedExecutionException e) {
            refusal = CompletableFuture.completedFuture(e);
        }
        return refusal.thenCombine(stored.commit().handle((done, error) -> error), (failure, error) -> {
            if (error != null) {
                Throwable notStored = error instanceof CompletionException wrapped ? wrapped.getCause() : error;
                if (failure == null) { // not lost: a worker runs a job it finds no row for
                    LOG.warn("Job {} reached the broker but could not be stored ({}); it will run without a status record",
                            job.id(), notStored.getMessage());
                }
                throw new CompletionException(notStored);
            }
            if (failure != null) {
                refused(job, failure);
                if (!outbox) {
                    return failure; // taken back (in the next shared commit) before the caller hears it
                }
            }
            accepted(job);
            return (Exception) null;
        }).thenCompose(refused -> refused == null ? CompletableFuture.<Void>completedFuture(null) : newJobs.takeBack(job.id())
                .thenRun(() -> {
                    throw new CompletionException(refused);
                }));
    }

    /** Publishes the new jobs still queued (answer-after=commit) before the broker's connection closes. */
    @Override
    public void close() {
        if (afterCommit != null) {
            afterCommit.close();
        }
    }

    /** Counts an accepted job: the one place the accepted counter is kept (single, batch, queued after commit). */
    public void accepted(JobRecord job) {
        metrics.accepted(job.type());
    }

    void refused(JobRecord job, Exception why) {
        if (outage.refused()) {
            LOG.warn("Broker did not take job {} ({}); {}. Further jobs are counted until the broker takes one again",
                    job.id(), why.getMessage(), outbox ? "it is stored and the outbox relay will publish it" : "answered 503");
        }
    }

    /**
     * The outbox relay's step: its leased jobs, published again. Each confirmed one is recorded;
     * the rest stay leased and are tried again after the lease. Fails when any was not confirmed.
     */
    public void relay(List<JobRecord> jobs) throws TimeoutException {
        List<JobRecord> confirmed = publish(jobs, true);
        confirmed.forEach(job -> LOG.info("Outbox relay published job {}", job.id()));
        requireAll(jobs, confirmed);
    }

    /** The replay's step: a dead job put back; fails unless confirmed (the relay publishes it after its lease). */
    public void replay(JobRecord job) throws TimeoutException {
        requireAll(List.of(job), publish(List.of(job), false));
    }

    /** {@link #publishAsync}, waited for. */
    public List<JobRecord> publish(List<JobRecord> jobs, boolean republished) {
        return Futures.join(publishAsync(jobs, republished), RuntimeException.class);
    }

    /**
     * Publishes the jobs, each with its own correlated confirm, all in flight at once; the future
     * completes once every confirm came or the confirm timeout (from now, for them all) passed,
     * with the confirmed jobs, which are then recorded QUEUED. A job the broker nacked or did not
     * confirm in time is left as it was, and so are the jobs after one the broker could not take.
     * Throws AmqpException when the broker took none. Nothing blocks on a confirm (see accept).
     */
    public CompletableFuture<List<JobRecord>> publishAsync(List<JobRecord> jobs, boolean republished) {
        long started = System.nanoTime();
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(confirmTimeoutMillis);
        Instant sentAt = Instant.now();
        // a job's first copy is recorded a little later, with its start if that comes first (FirstRuns)
        List<JobRecord> firstJobs = republished ? List.of() : jobs.stream().filter(job -> job.publishedAt() == null).toList();
        firstRuns.publishing(firstJobs, sentAt);
        List<CompletableFuture<Boolean>> confirms;
        try {
            confirms = broker.publishAll(jobs.stream().map(job -> new ConfirmedPublisher.Outgoing(topology.exchangeOf(job.type()),
                    job.type(), JobMessage.of(job, republished))).toList(), deadline);
        } catch (RuntimeException e) {
            firstRuns.published(List.of(), firstJobs.stream().map(JobRecord::id).toList(), sentAt);
            throw e;
        }
        // each confirm completes by the deadline at the latest (ConfirmedPublisher)
        return CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new))
                .handle((done, failure) -> settled(jobs, confirms, republished, sentAt, started));
    }

    /** After the confirms (or the timeout): records what the broker took, returns those jobs. */
    private List<JobRecord> settled(List<JobRecord> jobs, List<CompletableFuture<Boolean>> confirms, boolean republished,
                                    Instant sentAt, long started) {
        List<JobRecord> confirmed = new ArrayList<>(jobs.size());
        List<String> firstConfirmed = new ArrayList<>(jobs.size());
        List<String> firstUnconfirmed = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            JobRecord job = jobs.get(i);
            boolean acked = confirms.get(i).handle((yes, failure) -> failure == null && yes).getNow(false);
            if (acked) {
                confirmed.add(job);
            }
            if (!republished && job.publishedAt() == null) {
                (acked ? firstConfirmed : firstUnconfirmed).add(job.id());
            }
        }
        // not waited for: the answer needs the job stored and confirmed, not its QUEUED status
        firstRuns.published(firstConfirmed, firstUnconfirmed, sentAt);
        if (confirmed.isEmpty()) {
            return confirmed;
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - started);
        confirmed.forEach(job -> metrics.published(job.type(), latency));
        long refused = outage.recovered();
        if (refused > 0) {
            LOG.warn("The broker takes jobs again; it had not taken {} job(s) since the outage began{}", refused,
                    outbox ? " (the outbox relay publishes them)" : " (each answered 503)");
        }
        // the relay's and the replay's, at once
        Map<String, Instant> others = new LinkedHashMap<>();
        confirmed.stream().filter(job -> republished || job.publishedAt() != null).forEach(job -> others.put(job.id(), sentAt));
        if (!others.isEmpty()) {
            transitions.publishedAll(others);
        }
        return confirmed;
    }

    private void requireAll(List<JobRecord> jobs, List<JobRecord> confirmed) throws TimeoutException {
        if (confirmed.size() < jobs.size()) {
            throw new TimeoutException("The broker did not confirm " + (jobs.size() - confirmed.size()) + " of " + jobs.size()
                    + " job(s) within " + confirmTimeoutMillis + " ms");
        }
    }
}
