package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group commit's fsync on an H2 file (DiskSync). A failing fsync is made here by an H2 file
 * system whose FileChannel.force fails ({@link FailingFsync}): the commit happened, its caller is
 * told it failed, and every later write is refused.
 */
class DiskSyncTest {

    @TempDir
    Path folder;

    /** The commit is in the file when its caller hears of it (the file as kill -9 leaves it; the fsync is below). */
    @Test
    void aCommitIsInTheFileWhenAnswered() throws Exception {
        JdbcDataSource db = h2("jdbc:h2:file:" + folder.resolve("db") + ";WRITE_DELAY=0");
        table(db);
        // a connection held open, as the pool holds them: H2 writes everything when its last one closes
        try (Connection open = db.getConnection(); GroupCommit commits = new GroupCommit(db, db.getURL(), true, new SimpleMeterRegistry())) {
            assertEquals(1, (int) commits.run(List.of("1"), inserting(1)));
            assertEquals(1, (int) commits.run(List.of("2"), inserting(2)));
            // the file as a kill -9 would leave it now, opened as a database of its own
            Path copy = Files.createDirectories(folder.resolve("copy"));
            Files.copy(folder.resolve("db.mv.db"), copy.resolve("db.mv.db"));
            assertEquals(2, rows(h2("jdbc:h2:file:" + copy.resolve("db"))), "both commits are in the file");
        }
    }

    @Test
    void aFailedSyncRefusesEveryLaterWrite() throws Exception {
        JdbcDataSource db = h2(FailingFsync.url(folder));
        table(db);
        FailingFsync.failAfter(folder, 0);
        try (GroupCommit commits = new GroupCommit(db, db.getURL(), true, new SimpleMeterRegistry())) {
            StoreUnavailable unsynced = assertThrows(StoreUnavailable.class, () -> commits.run(List.of("1"), inserting(1)));
            assertTrue(unsynced.getMessage().contains("not synced to disk"), unsynced.getMessage());
            assertEquals(1, rows(db), "committed, though its caller was told it failed");

            StoreUnavailable refused = assertThrows(StoreUnavailable.class, () -> commits.run(List.of("2"), inserting(2)));
            assertTrue(refused.getMessage().contains("writes are refused until warren restarts"), refused.getMessage());
            assertEquals(1, rows(db), "not written");
        }
    }

    @Test
    void afterAFailedSyncTheRestOfItsBatchIsRefused() throws Exception {
        JdbcDataSource db = h2(FailingFsync.url(folder));
        table(db);
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit commits = new GroupCommit(db, db.getURL(), true, new SimpleMeterRegistry())) {
            CompletableFuture<Void> held = HeldWriter.hold(commits, release);
            FailingFsync.failAfter(folder, 1); // the held work's fsync, then none
            // one shared transaction that fails as a whole, so each work runs alone: the first
            // commits and its fsync fails; the ones after it must not be written at all
            CompletableFuture<Integer> first = commits.submit(List.of("1"), inserting(1));
            CompletableFuture<Integer> failingWork = commits.submit(List.of("x"), c -> {
                throw new IllegalStateException("fails the shared transaction");
            });
            CompletableFuture<Integer> after = commits.submit(List.of("2"), inserting(2));
            release.countDown();
            held.get(10, TimeUnit.SECONDS);

            ExecutionException unsynced = assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS));
            assertTrue(unsynced.getCause().getMessage().contains("not synced to disk"), unsynced.getCause().getMessage());
            assertThrows(ExecutionException.class, () -> failingWork.get(10, TimeUnit.SECONDS));
            ExecutionException refused = assertThrows(ExecutionException.class, () -> after.get(10, TimeUnit.SECONDS));
            assertTrue(refused.getCause().getMessage().contains("writes are refused until warren restarts"),
                    refused.getCause().getMessage());
            assertEquals(1, rows(db), "only the first work was written");
        }
    }

    @Test
    void closingAnswersTheCommitsStillQueued() throws Exception {
        JdbcDataSource db = h2("jdbc:h2:file:" + folder.resolve("db") + ";WRITE_DELAY=0");
        table(db);
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        try (GroupCommit commits = new GroupCommit(db, db.getURL(), true, new SimpleMeterRegistry())) {
            for (int id = 0; id < 200; id++) {
                answers.add(commits.submit(List.of(String.valueOf(id)), inserting(id)));
            }
        }
        for (CompletableFuture<Integer> answer : answers) {
            assertEquals(1, answer.get(10, TimeUnit.SECONDS));
        }
        assertEquals(200, rows(db));
    }

    @Test
    void anH2FileThatWritesItsCommitsLaterIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> DiskSync.forUrl("jdbc:h2:file:" + folder.resolve("db") + ";WRITE_DELAY=500"));
        assertTrue(refused.getMessage().contains("WRITE_DELAY=0"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DiskSync.forUrl("jdbc:h2:file:" + folder.resolve("db")));
        DiskSync.forUrl("jdbc:h2:file:" + folder.resolve("db") + ";write_delay = 0;MODE=PostgreSQL");
    }

    /** A connection to the H2 of another process (AUTO_SERVER; here H2's TCP server) is synced with CHECKPOINT SYNC. */
    @Test
    void aRemoteSessionIsSyncedByStatement() throws Exception {
        String file = folder.resolve("db").toString();
        Server server = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        try {
            JdbcDataSource db = h2("jdbc:h2:tcp://localhost:" + server.getPort() + "/" + file + ";WRITE_DELAY=0");
            table(db);
            DiskSync sync = DiskSync.forUrl("jdbc:h2:file:" + file + ";WRITE_DELAY=0");
            try (Connection c = db.getConnection()) {
                c.setAutoCommit(false);
                inserting(1).run(c);
                c.commit();
                sync.require(c);
                assertTrue(sync.usable());
                inserting(2).run(c);
                c.rollback(); // the sync's own transaction was ended: this one takes only its row
            }
            assertEquals(1, rows(db));
        } finally {
            server.stop();
        }
    }

    @Test
    void postgresAndAnInMemoryH2NeedNoSync() throws Exception {
        DiskSync.forUrl("jdbc:postgresql://127.0.0.1/warren").require(null);
        DiskSync.forUrl("jdbc:h2:mem:jobs").require(null);
    }

    private static JdbcDataSource h2(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        dataSource.setUser("sa");
        dataSource.setPassword("");
        return dataSource;
    }

    private static void table(JdbcDataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
        }
    }

    private static Transactions.Work<Integer> inserting(int id) {
        return c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("INSERT INTO t VALUES (" + id + ")");
            }
        };
    }

    private static int rows(JdbcDataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet count = s.executeQuery("SELECT COUNT(*) FROM t")) {
            count.next();
            return count.getInt(1);
        }
    }
}
