package io.warren.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * One transaction of the {@link GroupCommit} writer: the works it took from the queue, committed together, each
 * caller's future completed once the commit is on disk ({@link DiskSync}).
 *
 * <p>Round trips: a work of one statement ({@link StatementWork}: a job's insert, its start and success) joins the
 * other works of the same statement in one JDBC batch, one round trip to the database for them all (run one by one,
 * they were most of the writer's time on PostgreSQL). The other works run at once, in order; a work on a job that
 * already has a statement waiting in a batch sends the batches first, so the works of one job keep their order.
 *
 * <p>If the shared transaction fails, it is rolled back and each work runs again in a transaction of its own on
 * the same connection (on a fresh one if that connection broke), so one caller's error (a unique key, say) is that
 * caller's alone. Without a connection, every caller gets the failure at once.
 *
 * <p>Lock order, on a shared database: each instance's writer commits its own transactions, which change rows
 * other instances' transactions change too (one publishes a job while another claims it). Taken in queue order,
 * those row locks deadlocked (PostgreSQL breaks a deadlock after a second: 78 in one two-instance benchmark, with
 * the machine half idle). So there every transaction takes its row locks in id order, and two of them never wait
 * for each other in a circle: works run in the id order of the one row each changes, so their statements take the
 * locks in that order. Where that order does not hold (a work of several rows, or batches that change existing
 * rows beside other works) every row is locked first, in one statement: it cost a millisecond a transaction, so it
 * runs only then. A batched update that did not change its row (another copy of the job moved it on) did not lock
 * it, and what follows it could: then the transaction is rolled back and its works run alone.
 */
final class SharedTransaction {

    /**
     * A queued work: {@code plain}, a work of any statements, or {@code statement}, a work of one
     * batchable statement (the other is null); {@code rows}, the ids of the job rows it changes or
     * inserts; {@code queuedAt}, System.nanoTime() when it was queued.
     */
    record Pending<T>(Transactions.Work<T> plain, StatementWork<T> statement, Collection<String> rows, CompletableFuture<T> done,
                      long queuedAt) {

        Pending(Transactions.Work<T> plain, Collection<String> rows) {
            this(plain, null, rows, new CompletableFuture<>(), System.nanoTime());
        }

        Pending(StatementWork<T> statement, Collection<String> rows) {
            this(null, statement, rows, new CompletableFuture<>(), System.nanoTime());
        }

        /** The work to run in a transaction of its own, or beside the batches. */
        Transactions.Work<T> work() {
            return statement == null ? plain : statement.alone();
        }

        boolean changesExistingRows() {
            return statement == null ? !rows.isEmpty() : statement.changesExistingRow();
        }
    }

    private final DataSource dataSource;
    private final boolean soleWriter;
    private final DiskSync sync;
    /** The works in queue order, and as the shared transaction runs them (in lock order on a shared database). */
    private final List<Pending<?>> queued;
    private final List<Pending<?>> batch;
    private final Object[] results;

    private SharedTransaction(DataSource dataSource, boolean soleWriter, DiskSync sync, List<Pending<?>> queued) {
        this.dataSource = dataSource;
        this.soleWriter = soleWriter;
        this.sync = sync;
        this.queued = queued;
        this.batch = inLockOrder(soleWriter, queued);
        this.results = new Object[batch.size()];
    }

    /** Commits the works (on disk: {@code sync}) and completes their futures. {@code soleWriter}: see {@link GroupCommit}. */
    static void commit(DataSource dataSource, boolean soleWriter, DiskSync sync, List<Pending<?>> queued) {
        new SharedTransaction(dataSource, soleWriter, sync, queued).commit();
    }

    private void commit() {
        try (Connection c = dataSource.getConnection()) {
            sync.requireUsable();
            c.setAutoCommit(false);
            if (batch.size() > 1 && together(c)) {
                return;
            }
            // each in a transaction of its own, in queue order (lock order does not matter for one work)
            if (batch.size() > 1 && !c.isValid(1)) {
                // the connection broke under the batch: each work gets a fresh one from the pool
                queued.forEach(this::freshConnection);
                return;
            }
            queued.forEach(pending -> alone(c, pending));
        } catch (SQLException e) {
            // no connection (or it broke): every caller still waiting gets the failure
            StoreUnavailable failure = new StoreUnavailable("Job database: " + e.getMessage(), e);
            batch.forEach(p -> p.done().completeExceptionally(failure));
        }
    }

    /**
     * On a shared database, the works in the id order of the row each changes (of its lowest, for
     * a work of several rows; works that change no existing row first). The works of one row keep
     * their queue order; a work of several rows may move ahead of an earlier work on one of its
     * other rows, which the statements allow: each names the statuses it may change.
     */
    private static List<Pending<?>> inLockOrder(boolean soleWriter, List<Pending<?>> batch) {
        if (soleWriter || batch.size() < 2) {
            return batch;
        }
        Map<Pending<?>, String> lowestRow = new IdentityHashMap<>();
        batch.forEach(p -> lowestRow.put(p, p.changesExistingRows() ? Collections.min(p.rows()) : ""));
        List<Pending<?>> sorted = new ArrayList<>(batch);
        sorted.sort(Comparator.comparing(lowestRow::get));
        return sorted;
    }

    private boolean together(Connection c) {
        try {
            lockRowsIfOutOfOrder(c);
            Map<String, List<Integer>> batches = new LinkedHashMap<>();
            Set<String> rowsInBatches = new HashSet<>();
            for (int i = 0; i < batch.size(); i++) {
                Pending<?> pending = batch.get(i);
                if (pending.rows().stream().anyMatch(rowsInBatches::contains)) {
                    send(c, batches);
                    rowsInBatches.clear();
                }
                if (pending.statement() == null) {
                    results[i] = pending.plain().run(c);
                } else {
                    batches.computeIfAbsent(pending.statement().name(), name -> new ArrayList<>()).add(i);
                    rowsInBatches.addAll(pending.rows());
                }
            }
            send(c, batches);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollback(c);
            return false;
        }
        try {
            sync.require(c);
            for (int i = 0; i < batch.size(); i++) {
                complete(batch.get(i), results[i]);
            }
        } catch (SQLException e) { // committed, maybe not on disk: no caller may count on it, and none runs again
            batch.forEach(p -> p.done().completeExceptionally(new StoreUnavailable("Job database: " + e.getMessage(), e)));
        }
        return true;
    }

    /** Runs the waiting batches, in the order they began, then what follows each of their works. */
    private void send(Connection c, Map<String, List<Integer>> batches) throws SQLException {
        for (Map.Entry<String, List<Integer>> named : batches.entrySet()) {
            int[] changed;
            try (Sql.Bound statement = JobRows.JOBS.prepare(c, named.getKey())) {
                for (int i : named.getValue()) {
                    batch.get(i).statement().binder().bind(statement);
                    statement.addBatch();
                }
                changed = statement.executeBatch();
            }
            for (int k = 0; k < changed.length; k++) {
                int i = named.getValue().get(k);
                StatementWork<?> statement = batch.get(i).statement();
                if (!statement.holds(changed[k], soleWriter)) {
                    throw new SQLException(named.getKey() + " changed " + changed[k] + " rows in a batch; its works run alone");
                }
                results[i] = statement.after().run(c, changed[k]);
            }
        }
        batches.clear();
    }

    /**
     * On a shared database, where the statements would not take their row locks in id order (a
     * work of several rows, or batches that change existing rows beside other such works), locks
     * every row the works change first, in id order, in one statement.
     */
    private void lockRowsIfOutOfOrder(Connection c) throws SQLException {
        if (soleWriter) {
            return;
        }
        long batched = batch.stream().filter(p -> p.statement() != null && p.changesExistingRows())
                .map(p -> p.statement().name()).distinct().count();
        boolean others = batch.stream().anyMatch(p -> p.statement() == null && p.changesExistingRows());
        if (batch.stream().allMatch(p -> p.rows().size() < 2) && (batched == 0 || batched == 1 && !others)) {
            return;
        }
        lockRows(c, batch);
    }

    private void lockRows(Connection c, List<Pending<?>> works) throws SQLException {
        TreeSet<String> rows = new TreeSet<>();
        works.stream().filter(Pending::changesExistingRows).forEach(pending -> rows.addAll(pending.rows()));
        if (rows.size() < 2) {
            return; // one row cannot close a circle
        }
        try (Sql.Bound lock = JobRows.JOBS.prepare(c, "lock-in-order")) {
            lock.set("ids", c.createArrayOf("varchar", rows.toArray())).list(row -> null);
        }
    }

    private <T> void alone(Connection c, Pending<T> pending) {
        try {
            sync.requireUsable(); // an fsync may have failed for a work before this one
            if (!soleWriter) {
                lockRows(c, List.of(pending));
            }
            T result = pending.work().run(c);
            c.commit();
            sync.require(c);
            pending.done().complete(result);
        } catch (SQLException e) {
            rollback(c);
            pending.done().completeExceptionally(new StoreUnavailable("Job database: " + e.getMessage(), e));
        } catch (RuntimeException e) {
            rollback(c);
            pending.done().completeExceptionally(e);
        }
    }

    private <T> void freshConnection(Pending<T> pending) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            alone(c, pending);
        } catch (SQLException e) {
            pending.done().completeExceptionally(new StoreUnavailable("Job database: " + e.getMessage(), e));
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
}
