package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group commit's fsync on an H2 file (DiskSync). A failing fsync is made here by a user without
 * H2's admin rights, which CHECKPOINT SYNC needs: the commit happened, its caller is told it
 * failed, and every later write is refused.
 */
class DiskSyncTest {

    @TempDir
    Path folder;

    @Test
    void aCommitIsAnsweredOnceSynced() throws Exception {
        JdbcDataSource admin = h2("sa", "");
        table(admin);
        try (GroupCommit commits = new GroupCommit(admin, admin.getURL(), true, new SimpleMeterRegistry())) {
            assertEquals(1, (int) commits.run(List.of("1"), inserting(1)));
            assertEquals(1, (int) commits.run(List.of("2"), inserting(2)));
        }
        assertEquals(2, rows(admin));
    }

    @Test
    void aFailedSyncRefusesEveryLaterWrite() throws Exception {
        JdbcDataSource admin = h2("sa", "");
        table(admin);
        try (Connection c = admin.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE USER plain PASSWORD 'p'");
            s.execute("GRANT ALL ON t TO plain");
        }
        JdbcDataSource plain = h2("plain", "p");
        try (GroupCommit commits = new GroupCommit(plain, plain.getURL(), true, new SimpleMeterRegistry())) {
            StoreUnavailable unsynced = assertThrows(StoreUnavailable.class, () -> commits.run(List.of("1"), inserting(1)));
            assertTrue(unsynced.getMessage().contains("not synced to disk"), unsynced.getMessage());
            assertEquals(1, rows(admin), "committed, though its caller was told it failed");

            StoreUnavailable refused = assertThrows(StoreUnavailable.class, () -> commits.run(List.of("2"), inserting(2)));
            assertTrue(refused.getMessage().contains("writes are refused until warren restarts"), refused.getMessage());
            assertEquals(1, rows(admin), "not written");
        }
    }

    @Test
    void closingAnswersTheCommitsStillQueued() throws Exception {
        JdbcDataSource admin = h2("sa", "");
        table(admin);
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        try (GroupCommit commits = new GroupCommit(admin, admin.getURL(), true, new SimpleMeterRegistry())) {
            for (int id = 0; id < 200; id++) {
                answers.add(commits.submit(List.of(String.valueOf(id)), inserting(id)));
            }
        }
        for (CompletableFuture<Integer> answer : answers) {
            assertEquals(1, answer.get(10, TimeUnit.SECONDS));
        }
        assertEquals(200, rows(admin));
    }

    @Test
    void postgresAndAnInMemoryH2NeedNoSync() throws Exception {
        DiskSync.forUrl("jdbc:postgresql://127.0.0.1/warren").require(null);
        DiskSync.forUrl("jdbc:h2:mem:jobs").require(null);
    }

    private JdbcDataSource h2(String user, String password) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + folder.resolve("db"));
        dataSource.setUser(user);
        dataSource.setPassword(password);
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
