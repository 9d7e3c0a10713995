package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group commit's fsync on an H2 file (DiskSync). A failing fsync is made here by a user without
 * H2's admin rights, which CHECKPOINT SYNC needs: the commit happened, its caller is told it
 * failed, and every later write is refused. The fsync runs beside the writer: a commit waits for
 * the first fsync that began after it, shown by holding the fsyncs with a proxy of the data source.
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
    void aCommitIsAnsweredAfterAnFsyncThatBeganAfterIt() throws Exception {
        JdbcDataSource admin = h2("sa", "");
        Semaphore fsyncsBegun = new Semaphore(0);
        Semaphore fsyncsAllowed = new Semaphore(0);
        try (DiskSync sync = DiskSync.forDatabase(holdingFsyncs(admin, fsyncsBegun, fsyncsAllowed), admin.getURL(),
                new SimpleMeterRegistry())) {
            CompletableFuture<Void> first = sync.afterCommit();
            assertTrue(fsyncsBegun.tryAcquire(10, TimeUnit.SECONDS), "the first fsync began");
            CompletableFuture<Void> second = sync.afterCommit(); // committed while the first fsync runs
            CompletableFuture<Void> third = sync.afterCommit();

            fsyncsAllowed.release();
            first.get(10, TimeUnit.SECONDS);
            assertTrue(fsyncsBegun.tryAcquire(10, TimeUnit.SECONDS), "a second fsync began, for the commits after the first");
            assertFalse(second.isDone(), "the first fsync need not cover a commit made after it began");
            assertFalse(third.isDone());

            fsyncsAllowed.release();
            second.get(10, TimeUnit.SECONDS);
            third.get(10, TimeUnit.SECONDS);
            assertFalse(fsyncsBegun.tryAcquire(200, TimeUnit.MILLISECONDS), "one fsync covered both");
        }
    }

    @Test
    void closingAnswersTheCommitsStillWaiting() throws Exception {
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
        for (String url : List.of("jdbc:postgresql://127.0.0.1/warren", "jdbc:h2:mem:jobs")) {
            try (DiskSync sync = DiskSync.forDatabase(null, url, new SimpleMeterRegistry())) {
                assertTrue(sync.afterCommit().isDone(), url);
                sync.require(null);
            }
        }
    }

    /** The data source, with each CHECKPOINT SYNC announced on {@code begun} and held until {@code allowed} gives a permit. */
    private static DataSource holdingFsyncs(JdbcDataSource dataSource, Semaphore begun, Semaphore allowed) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (source, method, args) -> {
                    Object result = method.invoke(dataSource, args);
                    if (!method.getName().equals("getConnection")) {
                        return result;
                    }
                    Connection connection = (Connection) result;
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (c, m, a) -> {
                                Object made = m.invoke(connection, a);
                                if (!m.getName().equals("createStatement")) {
                                    return made;
                                }
                                Statement statement = (Statement) made;
                                return Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] {Statement.class},
                                        (st, sm, sa) -> {
                                            if (sm.getName().equals("execute") && "CHECKPOINT SYNC".equals(sa[0])) {
                                                begun.release();
                                                allowed.acquire();
                                            }
                                            return sm.invoke(statement, sa);
                                        });
                            });
                });
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
