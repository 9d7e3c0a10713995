package io.warren.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Puts a shared transaction's commit on disk before any caller hears of it. PostgreSQL fsyncs its
 * own commits. H2 (WRITE_DELAY=0) writes each commit to its file but leaves it in the operating
 * system's cache: it survives kill -9 of warren, not a power loss. CHECKPOINT SYNC forces the file
 * to disk (fsync), once per shared transaction, so every job it stored is on disk when its 202 goes.
 * Measured on a 2-core machine: the writer, waiting for the disk, takes more jobs per commit, and
 * its CPU per job fell (docs/benchmarks.md, twentieth round).
 */
final class DiskSync {

    private final boolean h2File;

    private DiskSync(boolean h2File) {
        this.h2File = h2File;
    }

    /** What a database at this JDBC URL needs: an fsync for an H2 file, nothing for PostgreSQL or an in-memory H2. */
    static DiskSync forUrl(String url) {
        return new DiskSync(url.startsWith("jdbc:h2:file:"));
    }

    /** After a commit on {@code c}: returns once it is on disk. */
    void require(Connection c) throws SQLException {
        if (h2File) {
            try (Statement s = c.createStatement()) {
                s.execute("CHECKPOINT SYNC");
            }
        }
    }
}
