package io.warren.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a commit on disk before any caller hears of it. PostgreSQL fsyncs its own commits. H2
 * (WRITE_DELAY=0) writes each commit to its file but leaves it in the operating system's cache: it
 * survives kill -9 of warren, not a power loss. Once per shared transaction, the file is forced to
 * disk (fsync), so every job it stored is on disk when its 202 goes. Measured on a 2-core machine:
 * the writer, waiting for the disk, takes more jobs per commit, and its CPU per job fell
 * (docs/benchmarks.md, twentieth round).
 *
 * <p>Through H2's store, not {@code CHECKPOINT SYNC}: that statement also wrote H2's store once
 * more, and, run after the commit, left the pooled connection with a transaction open, which the
 * pool rolled back when the connection came back: H2 wrote its store a third time. Those two were
 * a tenth of the writer's CPU (docs/benchmarks.md, twenty-ninth round).
 *
 * <p>A failed fsync stops the writes for good, as PostgreSQL stops on one: after it, Linux may
 * drop the unwritten pages and let the next fsync succeed, and H2's later commits would rest on
 * pages that never reached the disk. Every write fails from then on (a 503 for a new job) until
 * warren restarts and H2 reopens its file from what is on disk.
 */
final class DiskSync {

    private static final Logger LOG = LoggerFactory.getLogger(DiskSync.class);
    private static final Pattern WRITE_DELAY_0 = Pattern.compile("(?i);\\s*WRITE_DELAY\\s*=\\s*0\\s*(;|$)");

    private final boolean h2File;
    private volatile SQLException failed;

    private DiskSync(boolean h2File) {
        this.h2File = h2File;
    }

    /**
     * What a database at this JDBC URL needs: an fsync for an H2 file, nothing for PostgreSQL or an
     * in-memory H2. An H2 file URL must set WRITE_DELAY=0 (warren's own does): otherwise H2 writes
     * a commit later, from threads of its own, and no fsync after the commit could be sure to hold it.
     */
    static DiskSync forUrl(String url) {
        boolean h2File = Database.isH2File(url);
        if (h2File && !WRITE_DELAY_0.matcher(url).find()) {
            throw new IllegalArgumentException("An H2 file database needs WRITE_DELAY=0 in its URL (warren.db.url): without it H2 "
                    + "writes a commit later, and warren could answer 202 for a job not yet in the file");
        }
        return new DiskSync(h2File);
    }

    /** False once an fsync has failed: nothing may be written from then on. */
    boolean usable() {
        return failed == null;
    }

    /** Before a write: throws once an fsync has failed. */
    void requireUsable() throws SQLException {
        if (failed != null) {
            throw new SQLException("the job database's file could not be synced to disk (" + failed.getMessage()
                    + "); writes are refused until warren restarts", failed);
        }
    }

    /** After a commit on {@code c}: returns once it is on disk. */
    void require(Connection c) throws SQLException {
        if (!h2File) {
            return;
        }
        if (failed != null) { // a later fsync may succeed without the pages the failed one dropped
            throw notSynced(failed);
        }
        try {
            if (c.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session) {
                // WRITE_DELAY=0 (forUrl): the commit has written the store; this is its fsync
                MVStore store = session.getDatabase().getStore().getMvStore();
                store.sync();
                if (store.isClosed()) { // closed after sync's own check (a panic): it skipped the fsync
                    throw new SQLException("H2 closed its file before the commit was synced to disk");
                }
            } else {
                // a connection to the H2 of another process (AUTO_SERVER): its statement
                try (Statement s = c.createStatement()) {
                    s.execute("CHECKPOINT SYNC");
                }
                endTransaction(c);
            }
        } catch (SQLException | RuntimeException e) {
            SQLException failure = e instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e);
            if (failed == null) {
                LOG.error("The job database's file could not be synced to disk; warren refuses every write until it restarts", e);
            }
            failed = failure;
            throw notSynced(failure);
        }
    }

    /**
     * Ends the statement's transaction: left open, the pool rolls it back when the connection
     * returns, which in H2 writes its store once more. Synced already: a failure here is not one of
     * the fsync.
     */
    private static void endTransaction(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            LOG.debug("Ending CHECKPOINT SYNC's transaction failed; the pool rolls it back", e);
        }
    }

    private static SQLException notSynced(SQLException cause) {
        return new SQLException("committed, but not synced to disk: " + cause.getMessage(), cause);
    }
}
