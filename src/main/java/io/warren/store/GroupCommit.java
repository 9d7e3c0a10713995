package io.warren.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * Group commit: the small write transactions that HTTP threads and consumers ask for at the same
 * time run as one database transaction on one writer thread, and each caller returns only once
 * the transaction holding its work has committed. A job costs four status changes; committed one
 * by one they were most of warren's CPU (each H2 commit rewrites the changed pages) and made
 * concurrent requests queue on the commit lock. Coalesced, one commit serves every caller waiting.
 *
 * <p>If the shared transaction fails, it is rolled back and each work runs again in a transaction
 * of its own on the same connection (on a fresh one if that connection broke), so one caller's
 * error (a unique key, say) is that caller's alone. Without a connection, every caller in the
 * batch gets the failure at once.
 *
 * <p>On a shared database each instance's writer commits its own batches, which change rows other
 * instances' batches change too (one publishes a job while another claims it). Taken in queue
 * order, those row locks deadlocked (PostgreSQL breaks a deadlock after a second: 78 in one
 * two-instance benchmark, with the machine half idle). So there each transaction first locks the
 * job rows its works change, in id order, in one statement: two transactions then never wait for
 * each other in a circle.
 */
public final class GroupCommit implements AutoCloseable {

    private static final int MAX_BATCH = 256;

    /** {@code rows}: the ids of the existing job rows the work changes (locked first, in id order, on a shared database). */
    private record Pending<T>(Transactions.Work<T> work, CompletableFuture<T> done, Collection<String> rows) {
    }

    private final DataSource dataSource;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    /** Where what callers chain on {@link #submit} runs (acks, metrics): never on the writer thread. */
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "warren-db-callbacks");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean open = true;
    private final boolean soleWriter;

    /**
     * {@code soleWriter}: this process's writer thread is the only one that writes the jobs (an
     * embedded database), so work it runs in queue order is the order every reader sees.
     */
    public GroupCommit(DataSource dataSource, boolean soleWriter) {
        this.dataSource = dataSource;
        this.soleWriter = soleWriter;
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
        if (!open) {
            return CompletableFuture.supplyAsync(() -> Transactions.run(dataSource, work), Runnable::run);
        }
        Pending<T> pending = new Pending<>(work, new CompletableFuture<>(), rows);
        queue.add(pending);
        return pending.done().whenCompleteAsync((result, failure) -> { }, callbacks);
    }

    /** Whether this writer is the database's only one (see the constructor). */
    public boolean isSoleWriter() {
        return soleWriter;
    }

    /** Runs the work in a committed transaction, shared with whatever else is waiting. {@code rows}: see {@link Pending}. */
    public <T> T run(Collection<String> rows, Transactions.Work<T> work) {
        if (!open || Thread.currentThread() == writer) {
            return Transactions.run(dataSource, work);
        }
        Pending<T> pending = new Pending<>(work, new CompletableFuture<>(), rows);
        queue.add(pending);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return pending.done().get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    // closed between the check above and the add: the writer is gone, run it here
                    if (!writer.isAlive() && queue.remove(pending)) {
                        return Transactions.run(dataSource, work);
                    }
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

    private void writeLoop() {
        List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        while (open || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending<?>> batch) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (batch.size() > 1 && together(c, batch)) {
                return;
            }
            if (batch.size() > 1 && !c.isValid(1)) {
                // the connection broke under the batch: each work gets a fresh one from the pool
                batch.forEach(this::freshConnection);
                return;
            }
            for (Pending<?> pending : batch) {
                alone(c, pending);
            }
        } catch (SQLException e) {
            // no connection (or it broke): every caller still waiting gets the failure
            StoreUnavailable failure = new StoreUnavailable("Job database: " + e.getMessage(), e);
            batch.forEach(p -> p.done().completeExceptionally(failure));
        }
    }

    private boolean together(Connection c, List<Pending<?>> batch) {
        List<Object> results = new ArrayList<>(batch.size());
        try {
            lockRows(c, batch);
            for (Pending<?> pending : batch) {
                results.add(pending.work().run(c));
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollback(c);
            return false;
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results.get(i));
        }
        return true;
    }

    private <T> void alone(Connection c, Pending<T> pending) {
        try {
            lockRows(c, List.of(pending));
            T result = pending.work().run(c);
            c.commit();
            pending.done().complete(result);
        } catch (SQLException e) {
            rollback(c);
            pending.done().completeExceptionally(new StoreUnavailable("Job database: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            rollback(c);
            pending.done().completeExceptionally(e);
        }
    }

    private void lockRows(Connection c, List<Pending<?>> batch) throws SQLException {
        if (soleWriter) {
            return;
        }
        TreeSet<String> rows = new TreeSet<>();
        batch.forEach(pending -> rows.addAll(pending.rows()));
        if (rows.size() < 2) {
            return; // one row cannot close a circle
        }
        try (Sql.Bound lock = JobRows.JOBS.prepare(c, "lock-in-order")) {
            lock.set("ids", c.createArrayOf("varchar", rows.toArray())).list(row -> null);
        }
    }

    private <T> void freshConnection(Pending<T> pending) {
        try {
            pending.done().complete(Transactions.run(dataSource, pending.work()));
        } catch (RuntimeException e) {
            pending.done().completeExceptionally(e);
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is gone; the next statement on it reports that
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> pending, Object result) {
        pending.done().complete((T) result);
    }

    /** Commits what is queued, then lets callers run their transactions directly. */
    @Override
    public void close() {
        open = false;
        try {
            writer.join(10_000);
            callbacks.shutdown();
            callbacks.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
