package io.warren.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job database: a connection pool on warren.db.url and the schema migrations under
 * db/migration. With no URL set it is an embedded H2 file in the data folder, in PostgreSQL mode so
 * the same SQL runs on both.
 */
public final class Database {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private Database() {
    }

    /** The JDBC URL to use: the configured one, or the embedded H2 file in the data folder. */
    public static String url(String configured, String dataDir) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        Path file = Path.of(dataDir).toAbsolutePath().normalize().resolve("warren-db");
        // WRITE_DELAY=0: a commit reaches the file before the 202 is sent; H2's default (500 ms
        // later) lost accepted jobs when the process was killed.
        // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook closed the database while warren was still
        // draining, so jobs finishing on SIGTERM could not be recorded; warren closes the pool last.
        // RETENTION_TIME=1000: with WRITE_DELAY=0 every commit writes a chunk, and the 45 s H2 keeps
        // old chunks let the file grow by tens of KB per job under load (see H2Compaction). Not 0:
        // H2 files written with no retention at all have failed to reopen ("Double mark",
        // h2database#2752, #4083); a soak reported in nitrite-java#1301 found 1 s safe.
        return "jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + ";WRITE_DELAY=0;RETENTION_TIME=1000;DB_CLOSE_ON_EXIT=FALSE";
    }

    public static HikariDataSource pool(String url, String user, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setPoolName("warren-db");
        config.setConnectionTimeout(5000);
        // start without a connection: start-up waits for the database itself, with a clear log line
        config.setInitializationFailTimeout(-1);
        if (isPostgres(url)) {
            // The driver prepares a statement on the server from its fifth run, and PostgreSQL
            // then plans it once for any parameters (a generic plan) where that looks no dearer.
            // Planning every run instead (plan_cache_mode = force_custom_plan, until the
            // twenty-seventh round) was a third of PostgreSQL's CPU per job. A statement by primary
            // key gets an index scan in a generic plan on a job table never analyzed, however
            // small; on a small table ANALYZE has seen, a scan of its few pages, planned again at
            // its next ANALYZE (PostgresStats runs one once such a table has doubled). The
            // group commit's row lock ("= ANY" of an array) got a whole-table scan on any table
            // still small, kept for the connection's life: it is planned for each run (sql/jobs.sql).
            // A JDBC batch of inserts (the jobs of a group commit or of a batch request) sent as
            // multi-row INSERTs, not one statement a row: batch requests 18 % faster, single ones
            // 8 % (docs/benchmarks.md, twenty-seventh round). A URL that sets it wins.
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        return new HikariDataSource(config);
    }

    public static void migrate(HikariDataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration", "classpath:db/vendor/" + vendor(dataSource.getJdbcUrl()))
                .load()
                .migrate();
        if (isPostgres(dataSource.getJdbcUrl())) {
            warnWithoutAutovacuum(dataSource);
        }
    }

    /** Every job rewrites its row a few times: without autovacuum the dead rows pile up in the table and its indexes. */
    private static void warnWithoutAutovacuum(HikariDataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet autovacuum = s.executeQuery("SHOW autovacuum")) {
            if (autovacuum.next() && "off".equals(autovacuum.getString(1))) {
                LOG.warn("PostgreSQL runs with autovacuum off: each job leaves dead row versions in the jobs table and its "
                        + "indexes, which then grow without end and slow every write. Turn autovacuum on, or run "
                        + "VACUUM ANALYZE jobs regularly");
            }
        } catch (SQLException e) {
            LOG.debug("Could not read PostgreSQL's autovacuum setting: {}", e.getMessage());
        }
    }

    /** An H2 database in a file (not in memory, not PostgreSQL). */
    static boolean isH2File(String url) {
        return url.startsWith("jdbc:h2:file:");
    }

    /** An embedded H2 database: no other process writes it (unless it was opened as a server). */
    public static boolean isEmbedded(String url) {
        return (isH2File(url) || url.startsWith("jdbc:h2:mem:")) && !url.toUpperCase().contains("AUTO_SERVER=TRUE");
    }

    static boolean isPostgres(String url) {
        return "postgresql".equals(vendor(url));
    }

    /** The folder of migrations for this database only: h2 or postgresql (the JDBC URL's second part). */
    static String vendor(String url) {
        String[] parts = url.split(":", 3);
        return parts.length > 1 ? parts[1] : "unknown";
    }
}
