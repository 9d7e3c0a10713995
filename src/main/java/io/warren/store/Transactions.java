package io.warren.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Runs work in one JDBC transaction; any database failure becomes a {@link StoreUnavailable}. */
public final class Transactions {

    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** What runs on the connection once the transaction committed (an fsync of what it wrote). */
    interface AfterCommit {
        void run(Connection connection) throws SQLException;
    }

    private Transactions() {
    }

    public static <T> T run(DataSource dataSource, Work<T> work) {
        return run(dataSource, work, c -> {
        });
    }

    /** {@link #run}, then {@code afterCommit} on the same connection; its failure too is a {@link StoreUnavailable}. */
    static <T> T run(DataSource dataSource, Work<T> work, AfterCommit afterCommit) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            T result;
            try {
                result = work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            afterCommit.run(c);
            return result;
        } catch (SQLException e) {
            throw new StoreUnavailable("Job database: " + e.getMessage(), e);
        }
    }
}
