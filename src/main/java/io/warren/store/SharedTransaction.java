package io.warren.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * One transaction of the {@link GroupCommit} writer: the works it took from the queue, committed
 * together, each caller's future completed after the commit.
 *
 * <p>Round trips: a work of one statement ({@link Statement}: a job's insert, its start and
 * success) joins the other works of the same statement in one JDBC batch, one round trip to the
 * database for them all. Run one by one, those statements were most of the writer's time on
 * PostgreSQL (each round trip waits for the database's process to be scheduled on this 2-core
 * machine), and the writer, busy all the time, was what held the single-job endpoint back. The
 * other works run at once, in order; a work on a job that already has a statement waiting in a
 * batch sends the batches first, so the works of one job still run in the order they were queued.
 *
 * <p>If the shared transaction fails, it is rolled back and each work runs again in a transaction
 * of its own on the same connection (on a fresh one if that connection broke), so one caller's
 * error (a unique key, say) is that caller's alone. Without a connection, every caller gets the
 * failure at once.
 *
 * <p>Lock order, on a shared database: each instance's writer commits its own transactions, which
 * change rows other instances' transactions change too (one publishes a job while another claims
 * it). Taken in queue order, those row locks deadlocked (PostgreSQL breaks a deadlock after a
 * second: 78 in one two-instance benchmark, with the machine half idle). So there every
 * transaction takes its row locks in id order, and two of them never wait for each other in a
 * circle: works run in the id order of the one row each changes, so their statements take the
 * locks in that order. Where that order does not hold (a work of several rows, or batches that
 * change existing rows beside other works) every row is locked first, in one statement: it cost
 * a millisecond a transaction, so it runs only then.
 */
final class SharedTransaction {

    /**
     * A work of one named statement from sql/jobs.sql, which the writer may run in one batch with
     * the same statement of other works: {@code binder} sets its parameters, {@code after} follows
     * in the same transaction, given how many rows the statement changed; {@code changesExistingRow}
     * is false for an insert.
     */
    record Statement<T>(String name, Binder binder, After<T> after, boolean changesExistingRow) {

        interface Binder {
            void bind(Sql.Bound statement) throws SQLException;
        }

        interface After<T> {
            T run(Connection c, int changed) throws SQLException;
        }

        /** The statement as a work of its own. */
        Transactions.Work<T> alone() {
            return c -> {
                try (Sql.Bound bound = JobRows.JOBS.prepare(c, name)) {
                    binder.bind(bound);
                    return after.run(c, bound.update());
                }
            };
        }
    }

    /**
     * A queued work: {@code rows}, the ids of the job rows it changes or inserts; {@code
     * statement}, the same work as one batchable statement, or null; {@code queuedAt},
     * System.nanoTime() when it was queued.
     */
    record Pending<T>(Transactions.Work<T> work, Statement<T> statement, Collection<String> rows, CompletableFuture<T> done,
                      long queuedAt) {

        Pending(Transactions.Work<T> work, Statement<T> statement, Collection<String> rows) {
            this(work, statement, rows, new CompletableFuture<>(), System.nanoTime());
        }

        boolean changesExistingRows() {
            return statement == null ? !rows.isEmpty() : statement.changesExistingRow();
        }
    }

    private final DataSource dataSource;
    private final boolean soleWriter;
    private final List<Pending<?>> batch;
    private final Object[] results;

    private SharedTransaction(DataSource dataSource, boolean soleWriter, List<Pending<?>> batch) {
        this.dataSource = dataSource;
        this.soleWriter = soleWriter;
        this.batch = batch;
        this.results = new Object[batch.size()];
    }

    /** Commits the works and completes their futures. {@code soleWriter}: see {@link GroupCommit}. */
    static void commit(DataSource dataSource, boolean soleWriter, List<Pending<?>> queued) {
        new SharedTransaction(dataSource, soleWriter, inLockOrder(soleWriter, queued)).commit();
    }

    private void commit() {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (batch.size() > 1 && together(c)) {
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

    /**
     * On a shared database, the works in the id order of the row each changes (works that change
     * no existing row first; the works of one row keep their queue order).
     */
    private static List<Pending<?>> inLockOrder(boolean soleWriter, List<Pending<?>> batch) {
        if (soleWriter || batch.size() < 2) {
            return batch;
        }
        List<Pending<?>> sorted = new ArrayList<>(batch);
        sorted.sort(Comparator.comparing(p -> p.changesExistingRows() ? p.rows().iterator().next() : ""));
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
                    results[i] = pending.work().run(c);
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
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results[i]);
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
                results[i] = batch.get(i).statement().after().run(c, changed[k]);
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
            if (!soleWriter) {
                lockRows(c, List.of(pending));
            }
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
}
