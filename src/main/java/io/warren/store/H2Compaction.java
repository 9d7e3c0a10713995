package io.warren.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded H2 file from growing without end. With WRITE_DELAY=0 (each commit in the file
 * before the 202) H2 writes a chunk per commit and never starts the background writer that would
 * rewrite half-empty chunks, so under load the file grew by about 38 KB per job (8 GB after
 * 200,000 jobs in the stress run). Every quarter second, once less than half of the chunks' space
 * is live, this rewrites live pages of chunks under 80% full, a bounded amount at a time, so the
 * file stays within a small multiple of the size of the data.
 */
public final class H2Compaction implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2Compaction.class);
    private static final int START_BELOW_FILL_PERCENT = 50;
    private static final int TARGET_FILL_PERCENT = 80;
    // a round holds the store's lock against the commits (H2 rewrites the chunks under it): 16 MB
    // rounds took a tenth of warren's CPU under load and stalled the writer; 4 MB a second kept the
    // file within about twice its live data. The same 4 MB a second in quarter-second rounds of 1 MB
    // halved the accept latency's tail (p99 at 650 jobs/s: 40-51 ms against 52-96 ms; the longest
    // stall 68-132 ms against 114-155 ms, docs/benchmarks.md); 256 KB rounds did no better.
    private static final int MAX_BYTES_PER_ROUND = 1 << 20;
    private static final long ROUND_EVERY_MILLIS = 250;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "warren-h2-compaction");
        thread.setDaemon(true);
        return thread;
    });

    /** Starts compacting when the URL is an embedded H2 file; otherwise does nothing. */
    public static H2Compaction startIfH2(String url, DataSource dataSource) {
        H2Compaction compaction = new H2Compaction();
        if (Database.isH2File(url)) {
            compaction.timer.scheduleWithFixedDelay(() -> compaction.round(dataSource), 1000, ROUND_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        }
        return compaction;
    }

    private void round(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
            MVStore store = session.getDatabase().getStore().getMvStore();
            // rewriting costs CPU the jobs need: only once the chunks are half dead; what it moved
            // is fsynced before a commit may reuse the space it left (see DiskSync)
            if (store.getFileStore().getChunksFillRate() < START_BELOW_FILL_PERCENT
                    && store.compact(TARGET_FILL_PERCENT, MAX_BYTES_PER_ROUND)) {
                store.sync();
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("H2 compaction skipped: {}", e.getMessage());
        } catch (Throwable e) {
            // an Error would otherwise cancel the schedule without a word
            LOG.error("H2 compaction failed", e);
        }
    }

    @Override
    public void close() {
        // not shutdownNow: an interrupt closes H2's file channel in the middle of a round
        timer.shutdown();
        try {
            timer.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
