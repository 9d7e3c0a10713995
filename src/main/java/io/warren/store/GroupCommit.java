package io.warren.store;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Group commit: the small write transactions that HTTP threads and consumers ask for at the same
 * time run as one database transaction on one writer thread, and each caller returns only once
 * the transaction holding its work has committed. A job costs four status changes; committed one
 * by one they were most of warren's CPU (each H2 commit rewrites the changed pages) and made
 * concurrent requests queue on the commit lock. Coalesced, one commit serves every caller waiting.
 *
 * <p>{@link SharedTransaction} runs each batch: one statement's works in one JDBC batch, row
 * locks in id order on a shared database, a failed batch retried work by work.
 */
public final class GroupCommit implements AutoCloseable {

    private static final int MAX_BATCH = 256;

    private final DataSource dataSource;
    private final LinkedBlockingQueue<SharedTransaction.Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    /** Where what callers chain on {@link #submit} runs (acks, metrics): never on the writer thread. */
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "warren-db-callbacks");
        thread.setDaemon(true);
        return thread;
    });
    /** The callback thread, or once it is shut down (closing) the common pool: a committed work never reads as failed. */
    private final Executor afterCommit = task -> {
        try {
            callbacks.execute(task);
        } catch (RejectedExecutionException closed) {
            ForkJoinPool.commonPool().execute(task);
        }
    };
    private volatile boolean open = true;
    private final boolean soleWriter;
    final DiskSync sync; // H2Compaction's fsyncs go through it too: a failed one there stops these writes
    private final Timer waited;
    private final Timer transactions;
    private final DistributionSummary works;

    /**
     * {@code url}: the database's JDBC URL, for what it takes to put a commit on disk ({@link DiskSync}).
     * {@code soleWriter}: this process's writer thread is the only one that writes the jobs (an
     * embedded database), so work it runs in queue order is the order every reader sees.
     * {@code meters}: where the writer's timings go (how long work waits for it, how long its
     * transactions take, how many works each holds), to tell a slow database from a busy writer.
     */
    public GroupCommit(DataSource dataSource, String url, boolean soleWriter, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.soleWriter = soleWriter;
        this.sync = DiskSync.forUrl(url);
        this.waited = Timer.builder("warren.store.queued").description("time a write waited for the writer's transaction to begin")
                .publishPercentileHistogram().register(meters);
        this.transactions = Timer.builder("warren.store.transaction")
                .description("a shared write transaction, from taking its connection to its commit").publishPercentileHistogram()
                .register(meters);
        this.works = DistributionSummary.builder("warren.store.transaction.works").description("writes in one shared transaction")
                .register(meters);
        this.writer = new Thread(this::writeLoop, "warren-db-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Queues the work for the next shared transaction without waiting for it: for bookkeeping whose
     * caller need not hold anyone up (the future says when it committed, or why not). What the
     * caller chains on the future runs on a callback thread: an ack that blocks on its channel once
     * held the writer, and every caller behind it, for 15 ms.
     */
    public <T> CompletableFuture<T> submit(Collection<String> rows, Transactions.Work<T> work) {
        return submit(new SharedTransaction.Pending<>(work, rows));
    }

    /** {@link #submit}, for a work of one statement, which the writer may batch with the same statement of others. */
    <T> CompletableFuture<T> submit(Collection<String> rows, StatementWork<T> statement) {
        return submit(new SharedTransaction.Pending<>(statement, rows));
    }

    private <T> CompletableFuture<T> submit(SharedTransaction.Pending<T> pending) {
        if (!open) {
            runDirect(pending);
            return pending.done();
        }
        enqueue(pending);
        return pending.done().whenCompleteAsync((result, failure) -> { }, afterCommit);
    }

    /**
     * Queues the work for the writer. If closing began meanwhile, the writer may have taken its last
     * look at the queue before the work was in it: what is left then runs here, after the writer's
     * last transaction.
     */
    private void enqueue(SharedTransaction.Pending<?> pending) {
        queue.add(pending);
        if (!open && Thread.currentThread() != writer) {
            runLeftovers();
        }
    }

    /** Once the writer has stopped: what is still queued, one work at a time, in queue order. */
    private synchronized void runLeftovers() {
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        runQueued();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void runQueued() {
        for (SharedTransaction.Pending<?> left = queue.poll(); left != null; left = queue.poll()) {
            runDirect(left);
        }
    }

    private <T> void runDirect(SharedTransaction.Pending<T> pending) {
        try {
            pending.done().complete(direct(pending.work()));
        } catch (RuntimeException | Error e) {
            pending.done().completeExceptionally(e);
        }
    }

    /** Whether this writer is the database's only one (see the constructor). */
    public boolean isSoleWriter() {
        return soleWriter;
    }

    /** Runs the work in a committed transaction, shared with whatever else is waiting. {@code rows}: see {@link SharedTransaction.Pending}. */
    public <T> T run(Collection<String> rows, Transactions.Work<T> work) {
        return run(new SharedTransaction.Pending<>(work, rows));
    }

    /** {@link #run}, for a work of one statement, which the writer may batch with the same statement of others. */
    <T> T run(Collection<String> rows, StatementWork<T> statement) {
        return run(new SharedTransaction.Pending<>(statement, rows));
    }

    private <T> T run(SharedTransaction.Pending<T> pending) {
        if (Thread.currentThread() == writer) {
            return Transactions.run(dataSource, pending.work()); // on disk with the writer's own transaction
        }
        if (!open) {
            return direct(pending.work());
        }
        enqueue(pending);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return pending.done().get();
                } catch (InterruptedException e) {
                    // an interrupted caller may only give up on work that has not started: once
                    // taken, it may commit, and the caller must learn that it did
                    if (queue.remove(pending)) {
                        Thread.currentThread().interrupt();
                        throw new StoreUnavailable("Interrupted while waiting for the job database", e);
                    }
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreUnavailable("Job database: " + e.getCause().getMessage(), e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A work run without the writer (closing, or gone): committed, and on disk as the writer's are. */
    private <T> T direct(Transactions.Work<T> work) {
        return Transactions.run(dataSource, c -> {
            sync.requireUsable();
            return work.run(c);
        }, sync::require);
    }

    private void writeLoop() {
        List<SharedTransaction.Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        while (open || !queue.isEmpty()) {
            try {
                SharedTransaction.Pending<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                // no writer from now on: what was queued runs here, later works run directly
                open = false;
                runQueued();
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<SharedTransaction.Pending<?>> batch) {
        long started = System.nanoTime();
        batch.forEach(pending -> waited.record(started - pending.queuedAt(), TimeUnit.NANOSECONDS));
        works.record(batch.size());
        try {
            SharedTransaction.commit(dataSource, soleWriter, sync, batch);
        } finally {
            transactions.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    /** Commits what is queued, then lets callers run their transactions directly. */
    @Override
    public void close() {
        open = false;
        try {
            writer.join(10_000);
            if (!writer.isAlive()) {
                runLeftovers();
            }
            callbacks.shutdown();
            callbacks.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
