package io.warren.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PostgreSQL's cached plans from outliving a small table. PostgreSQL plans a prepared
 * statement once per connection and plans it again only when the table's statistics change. When
 * ANALYZE last saw the job table nearly empty (a new database, or one a purge emptied), that plan
 * reads a job by id by scanning the whole table, and goes on doing so while a burst grows it, until
 * autovacuum analyzes the table again, a minute (autovacuum_naptime) or more later: a burst on a job
 * table analyzed at 20 rows fell from 521 to 251 jobs/s over 90 s, each job scanning the table
 * (bench/small-table.sh; over 2,000 jobs/s with this check, docs/benchmarks.md, twenty-eighth round). Every
 * {@value #CHECK_EVERY_MILLIS} ms this compares the rows PostgreSQL last counted in warren's tables
 * read by key with the rows they hold, and analyzes a table that has more than doubled, by over
 * {@value #GROWN_BY} rows: a few times while a table grows from empty; autovacuum's own analyses
 * (each time a tenth of it changed) come first once it is large. Nothing for H2, which plans with
 * the rows it holds.
 */
public final class PostgresStats implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStats.class);
    private static final long CHECK_EVERY_MILLIS = 1000;
    private static final long GROWN_BY = 1000;
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    // pg_has_role: ANALYZE of a table warren does not own only warns, so it would be tried again
    // every check; reltuples < 0: never analyzed (PostgreSQL 14+; 0 before, which costs one more
    // ANALYZE), and then PostgreSQL reckons on ten pages and reads by key through the index
    private static final String GROWN = "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid "
            + "WHERE c.oid IN (to_regclass('jobs'), to_regclass('idempotency_keys')) AND pg_has_role(c.relowner, 'USAGE') "
            + "AND c.reltuples >= 0 AND s.n_live_tup > 2 * c.reltuples + " + GROWN_BY;

    private final DataSource dataSource;
    /** The last check failed: the next failure is not logged again. */
    private volatile boolean failing;
    private final ScheduledExecutorService timer = DaemonTimer.named("warren-postgres-stats");

    PostgresStats(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Starts the checks when the URL is PostgreSQL's; otherwise does nothing. */
    public static PostgresStats startIfPostgres(String url, DataSource dataSource) {
        PostgresStats stats = new PostgresStats(dataSource);
        if (Database.isPostgres(url)) {
            stats.timer.scheduleWithFixedDelay(stats::check, CHECK_EVERY_MILLIS, CHECK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        }
        return stats;
    }

    private void check() {
        try {
            analyzeGrown();
            failing = false;
        } catch (SQLException | RuntimeException e) {
            if (!failing) { // once, not every second while the database is away (StoreHealth reports that)
                LOG.warn("PostgreSQL statistics check skipped until it works again: {}", e.getMessage());
            }
            failing = true;
        } catch (Throwable e) {
            // an Error would otherwise cancel the schedule without a word
            LOG.error("PostgreSQL statistics check failed", e);
        }
    }

    /** One check: the tables it analyzed. */
    List<String> analyzeGrown() throws SQLException {
        List<String> analyzed = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            List<String> grown = new ArrayList<>();
            try (PreparedStatement read = c.prepareStatement(GROWN); ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    grown.add(rows.getString(1));
                }
            }
            for (String table : grown) {
                if (analyze(c, table)) {
                    analyzed.add(table);
                }
            }
        }
        return analyzed;
    }

    /** False when the table's lock was not free (autovacuum, or another instance analyzing it): the next check tries again. */
    private static boolean analyze(Connection c, String table) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            // ANALYZE waits for autovacuum's lock on the table, and autovacuum gives way to a wait
            // that lasts deadlock_timeout (1 s by default): shorter, and the next check tries again
            s.execute("SET LOCAL lock_timeout = '500ms'");
            s.execute("ANALYZE " + table);
            c.commit();
            LOG.info("Analyzed {}: it had more than doubled since PostgreSQL last counted its rows, and its cached plans "
                    + "read by key as if it were small", table);
            return true;
        } catch (SQLException e) {
            try {
                c.rollback();
            } catch (SQLException again) {
                e.addSuppressed(again);
            }
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                LOG.debug("{} not analyzed: its lock was taken", table);
                return false;
            }
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    @Override
    public void close() {
        DaemonTimer.stopAfterRun(timer, Duration.ofSeconds(10));
    }
}
