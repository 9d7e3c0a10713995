package io.warren.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

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

    /**
     * Whether a batch's count for this work lets it go on in the shared transaction. Not when the
     * driver gave none where the work needs it (an insert sent as part of a multi-row INSERT has
     * none, and needs none); nor, on a shared database, for a row the statement did not lock,
     * which what follows may change out of lock order.
     */
    boolean holds(int changed, boolean soleWriter) {
        if (!changesExistingRow) {
            return changed != Statement.EXECUTE_FAILED;
        }
        return changed >= 0 && (soleWriter || changed == 1);
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
