package io.warren.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A work of one named statement from sql/jobs.sql, which the writer may run in one batch with
 * the same statement of other works: {@code binder} sets its parameters, {@code after} follows
 * in the same transaction, given how many rows the statement changed; {@code changesExistingRow}
 * is false for an insert.
 */
record StatementWork<T>(String name, Binder binder, After<T> after, boolean changesExistingRow) {

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
