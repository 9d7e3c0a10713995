package io.warren.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
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
 * 200,000 jobs in the stress run). Every 62 ms, once less than half of the chunks' space is live,
 * this moves the live pages of the emptiest, oldest chunks (H2 picks them), a bounded amount at a
 * time, so the file stays within a small multiple of the size of the data. How long each round
 * took, its wait for H2's store included (no commit runs meanwhile), is the timer
 * {@code warren.store.compaction}.
 */
public final class H2Compaction implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2Compaction.class);
    private static final int START_BELOW_FILL_PERCENT = 50;
    /** H2's own gate (it compacts only a file filled below this); below START_BELOW_FILL_PERCENT it always passes. */
    private static final int TARGET_FILL_PERCENT = 80;
    // a round holds the store's lock against the commits (H2 rewrites the chunks under it), so every
    // job waiting for a commit waits for the whole round, and a round's length is its byte budget.
    // 16 MB rounds took a tenth of warren's CPU under load; 4 MB a second kept the file within
    // about twice its live data. Spent in 1 MB rounds every 250 ms, four of five requests slower than
    // 25 ms in a paced load had waited for one (rounds of 15 ms, up to 77); in 256 KB rounds every
    // 62 ms (4 ms, up to 19) the paced p99 fell from 33-40 ms to 16-33 ms at the same rates
    // (docs/benchmarks.md, twenty-sixth round).
    private static final int MAX_BYTES_PER_ROUND = 256 << 10;
    private static final long ROUND_EVERY_MILLIS = 62;

    private final ScheduledExecutorService timer = DaemonTimer.named("warren-h2-compaction");

    /** Null when there is nothing to compact (PostgreSQL, an in-memory H2). */
    private final Timer rounds;
    private final DiskSync sync;
    /** The store's version when the last round ended: the same at the next, and nothing committed meanwhile. */
    private long versionAfterLastRound = -1;

    private H2Compaction(Timer rounds, DiskSync sync) {
        this.rounds = rounds;
        this.sync = sync;
    }

    /**
     * Starts compacting when the URL is an embedded H2 file; otherwise does nothing. What a round
     * commits is fsynced as the writer's commits are, and a failed fsync stops the writer's writes.
     */
    public static H2Compaction startIfH2(String url, DataSource dataSource, GroupCommit commits, MeterRegistry meters) {
        if (!Database.isH2File(url)) {
            return new H2Compaction(null, null);
        }
        H2Compaction compaction = new H2Compaction(Timer.builder("warren.store.compaction")
                .description("an H2 compaction round, with its wait for the store; every commit waits for it").publishPercentileHistogram()
                .register(meters), commits.sync);
        compaction.timer.scheduleWithFixedDelay(() -> compaction.round(dataSource), 1000, ROUND_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        return compaction;
    }

    private void round(DataSource dataSource) {
        if (!sync.usable()) {
            return; // after a failed fsync nothing is written until warren restarts (DiskSync)
        }
        try (Connection c = dataSource.getConnection()) {
            SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
            MVStore store = session.getDatabase().getStore().getMvStore();
            // rewriting costs CPU the jobs need: only once the chunks are half dead. A round that
            // committed fsyncs through DiskSync, so that a failed fsync here stops every write as
            // one of the writer's does; what a round only marked, the writer's next commit writes
            // and fsyncs
            if (store.getFileStore().getChunksFillRate() < START_BELOW_FILL_PERCENT && rounds.record(() -> compactOnce(store))) {
                sync.require(c);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("H2 compaction skipped: {}", e.getMessage());
        } catch (Throwable e) {
            // an Error would otherwise cancel the schedule without a word
            LOG.error("H2 compaction failed", e);
        }
    }

    /**
     * One round; whether it committed (wrote to the file). H2's compact only marks the live pages
     * of sparse chunks as changed, and the next commit writes them. Under load warren's own
     * commits do; a commit of the round's own would write the index pages above them once more
     * (1,000,000 jobs left 1,363 and 1,386 MB against 1,246). With nothing committed since the
     * last round (warren idle), the round commits what the last one marked: without that, rounds
     * every 62 ms found those pages marked already, moved nothing, and the file stayed mostly dead
     * until the next job.
     */
    private boolean compactOnce(MVStore store) {
        boolean committed = false;
        if (store.getCurrentVersion() == versionAfterLastRound) {
            store.commit();
            committed = store.getCurrentVersion() != versionAfterLastRound;
        }
        store.compact(TARGET_FILL_PERCENT, MAX_BYTES_PER_ROUND);
        versionAfterLastRound = store.getCurrentVersion();
        return committed;
    }

    @Override
    public void close() {
        DaemonTimer.stopAfterRun(timer, Duration.ofSeconds(30));
    }
}
