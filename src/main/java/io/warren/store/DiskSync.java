package io.warren.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a commit on disk before any caller hears of it. PostgreSQL fsyncs its own commits. H2
 * (WRITE_DELAY=0) writes each commit to its file but leaves it in the operating system's cache: it
 * survives kill -9 of warren, not a power loss. CHECKPOINT SYNC forces the file to disk (fsync).
 *
 * <p>The fsync runs on a thread of its own, so the writer commits the next transaction while the
 * last one's fsync runs: on the writer, each small commit of a lightly loaded warren waited for the
 * disk before the next could begin, and the paced latency grew (docs/benchmarks.md, twentieth
 * round). One fsync covers every commit made before it began: a commit's callers hear of it after
 * the first fsync that began after the commit returned.
 *
 * <p>A failed fsync stops the writes for good, as PostgreSQL stops on one: after it, Linux may
 * drop the unwritten pages and let the next fsync succeed, and H2's later commits would rest on
 * pages that never reached the disk. Every write fails from then on (a 503 for a new job), and so
 * does every commit still waiting for its fsync, until warren restarts and H2 reopens its file from
 * what is on disk.
 */
final class DiskSync implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DiskSync.class);
    private static final CompletableFuture<Void> ON_DISK = CompletableFuture.completedFuture(null);

    /** Where the fsync's connections come from; null where the database puts its commits on disk itself. */
    private final DataSource h2File;
    private final Thread syncer;
    private final Timer fsyncs;
    /** Commits waiting for the next fsync. Guarded by this. */
    private List<CompletableFuture<Void>> waiting = new ArrayList<>();
    /** Guarded by this. */
    private boolean closed;
    private volatile SQLException failed;

    private DiskSync(DataSource h2File, MeterRegistry meters) {
        this.h2File = h2File;
        this.fsyncs = Timer.builder("warren.store.fsync").description("an fsync of the H2 file, covering every commit before it")
                .publishPercentileHistogram().register(meters);
        this.syncer = new Thread(this::syncLoop, "warren-db-fsync");
        syncer.setDaemon(true);
        if (h2File != null) {
            syncer.start();
        }
    }

    /** What a database at this JDBC URL needs: an fsync for an H2 file, nothing for PostgreSQL or an in-memory H2. */
    static DiskSync forDatabase(DataSource dataSource, String url, MeterRegistry meters) {
        return new DiskSync(Database.isH2File(url) ? dataSource : null, meters);
    }

    /** Before a write: throws once an fsync has failed. */
    void requireUsable() throws SQLException {
        if (failed != null) {
            throw new SQLException("the job database's file could not be synced to disk (" + failed.getMessage()
                    + "); writes are refused until warren restarts", failed);
        }
    }

    /**
     * After a commit: completes once the commit is on disk, or fails if it cannot be put there. It
     * completes on the fsync thread: what is chained on it must be quick.
     */
    CompletableFuture<Void> afterCommit() {
        if (h2File == null) {
            return ON_DISK;
        }
        CompletableFuture<Void> onDisk = new CompletableFuture<>();
        synchronized (this) {
            if (!closed) {
                waiting.add(onDisk);
                notifyAll();
                return onDisk;
            }
        }
        syncRound(List.of(onDisk)); // closed: a commit after the writer stopped, synced by its caller
        return onDisk;
    }

    /** After a commit on {@code c}, on the caller's thread: returns once it is on disk. */
    void require(Connection c) throws SQLException {
        if (h2File == null) {
            return;
        }
        if (failed != null) {
            throw notSynced(failed); // a later fsync may succeed without the pages the failed one lost
        }
        long started = System.nanoTime();
        try (Statement s = c.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            if (failed == null) {
                LOG.error("The job database's file could not be synced to disk; warren refuses every write until it restarts", e);
            }
            failed = e;
            throw notSynced(e);
        } finally {
            fsyncs.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private static SQLException notSynced(SQLException cause) {
        return new SQLException("committed, but not synced to disk: " + cause.getMessage(), cause);
    }

    private void syncLoop() {
        while (true) {
            List<CompletableFuture<Void>> round;
            synchronized (this) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        closed = true; // what still waits is synced by close(), or by afterCommit's caller
                    }
                }
                if (waiting.isEmpty()) {
                    return;
                }
                round = waiting;
                waiting = new ArrayList<>();
            }
            syncRound(round);
        }
    }

    private void syncRound(List<CompletableFuture<Void>> round) {
        try (Connection c = h2File.getConnection()) {
            require(c);
            round.forEach(onDisk -> onDisk.complete(null));
        } catch (SQLException | RuntimeException e) {
            round.forEach(onDisk -> onDisk.completeExceptionally(e));
        }
    }

    /** Syncs the commits still waiting, then stops the fsync thread; later commits are synced by their callers. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            syncer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
