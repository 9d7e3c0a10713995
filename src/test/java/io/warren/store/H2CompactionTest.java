package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compaction of warren's own H2 file (its URL from {@link Database#url}): many small commits
 * leave most of the file's chunks dead, as a load does; the compaction's rounds bring the live share
 * back over half, each round on the {@code warren.store.compaction} timer, and a round whose fsync
 * fails stops the writer's writes as a failed fsync of its own does ({@link DiskSync}).
 */
class H2CompactionTest {

    @TempDir
    Path folder;

    @Test
    void roundsBringTheLiveShareBackOverHalf() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (HikariDataSource db = Database.pool(Database.url(null, folder.toString()), null, null, 2);
                GroupCommit commits = new GroupCommit(db, db.getJdbcUrl(), true, meters)) {
            churn(db);
            assertTrue(fillRate(db) < 50, "the churn left most of the file dead: " + fillRate(db) + " %");
            try (H2Compaction compaction = H2Compaction.startIfH2(db.getJdbcUrl(), db, commits, meters)) {
                Timer rounds = meters.get("warren.store.compaction").timer();
                // polled, not timed: 60 s only ends a hang (rounds of 256 KB every 62 ms take about a second here)
                long giveUpAt = System.nanoTime() + 60_000_000_000L;
                while (fillRate(db) < 50 && System.nanoTime() < giveUpAt) {
                    Thread.sleep(100);
                }
                assertTrue(fillRate(db) >= 50, "still " + fillRate(db) + " % live after " + rounds.count() + " rounds");
                assertTrue(rounds.count() > 0, "no round on the timer");
            }
        }
    }

    @Test
    void aRoundWhoseFsyncFailsStopsTheWrites() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        String url = FailingFsync.url(folder);
        try (HikariDataSource admin = Database.pool(url, null, null, 2);
                GroupCommit commits = new GroupCommit(admin, url, true, meters)) {
            churn(admin);
            assertTrue(commits.run(List.of("1"), H2CompactionTest::touch), "a write before the compaction");
            // from now on every fsync fails; the test writes nothing more, so the first is a round's
            FailingFsync.failAfter(folder, 0);
            try (H2Compaction compaction = H2Compaction.startIfH2(url, admin, commits, meters)) {
                // polled without writing (a write would keep the rounds from committing); 60 s only ends a hang
                long giveUpAt = System.nanoTime() + 60_000_000_000L;
                while (usable(commits) && System.nanoTime() < giveUpAt) {
                    Thread.sleep(100);
                }
                StoreUnavailable refused = assertThrows(StoreUnavailable.class, () -> commits.run(List.of("1"), H2CompactionTest::touch));
                assertTrue(refused.getMessage().contains("writes are refused until warren restarts"), refused.getMessage());
            }
        }
    }

    private static boolean touch(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate("UPDATE churn SET pad = 'touched' WHERE id = 1") == 1;
        }
    }

    private static boolean usable(GroupCommit commits) {
        try {
            commits.sync.requireUsable();
            return true;
        } catch (SQLException failed) {
            return false;
        }
    }

    /** 3,000 commits, each rewriting one of 200 rows of 1 KB: each commit writes a chunk, and most of the pages in it die soon. */
    private static void churn(HikariDataSource db) throws SQLException {
        try (Connection c = db.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE churn (id INT PRIMARY KEY, pad VARCHAR(1024))");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO churn VALUES (?, ?)")) {
                for (int id = 1; id <= 200; id++) {
                    insert.setInt(1, id);
                    insert.setString(2, "x".repeat(1000));
                    insert.executeUpdate();
                }
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE churn SET pad = ? WHERE id = ?")) {
                for (int i = 0; i < 3_000; i++) {
                    update.setString(1, Integer.toString(i).repeat(200));
                    update.setInt(2, 1 + i % 200);
                    update.executeUpdate();
                }
            }
        }
    }

    private static int fillRate(HikariDataSource db) throws SQLException {
        try (Connection c = db.getConnection()) {
            SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
            return session.getDatabase().getStore().getMvStore().getFileStore().getChunksFillRate();
        }
    }
}
