package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
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
    void afterAFailedSyncTheRestOfItsBatchIsRefused() throws Exception {
        JdbcDataSource admin = h2("sa", "");
        table(admin);
        AtomicInteger fsyncs = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        // every fsync after the first fails
        DataSource failing = withStatements(admin, (statement, sql) -> {
            if ("CHECKPOINT SYNC".equals(sql) && fsyncs.incrementAndGet() > 1) {
                throw new SQLException("fsync failed (made by the test)");
            }
        });
        try (GroupCommit commits = new GroupCommit(failing, admin.getURL(), true, new SimpleMeterRegistry())) {
            CompletableFuture<Void> held = HeldWriter.hold(commits, release);
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
            assertEquals(1, rows(admin), "only the first work was written");
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

    interface BeforeExecute {
        void check(Statement statement, String sql) throws SQLException;
    }

    /** The data source, with {@code before} called ahead of each Statement.execute(sql) of its connections. */
    static DataSource withStatements(DataSource dataSource, BeforeExecute before) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (ds, method, args) -> {
                    Object made = invoke(method, dataSource, args);
                    return made instanceof Connection connection ? Proxy.newProxyInstance(Connection.class.getClassLoader(),
                            new Class<?>[] {Connection.class}, (c, m, a) -> {
                                Object inner = invoke(m, connection, a);
                                return inner instanceof Statement statement ? Proxy.newProxyInstance(
                                        Statement.class.getClassLoader(), new Class<?>[] {Statement.class}, (st, sm, sa) -> {
                                            if (sm.getName().equals("execute") && sa != null && sa.length == 1) {
                                                before.check(statement, (String) sa[0]);
                                            }
                                            return invoke(sm, statement, sa);
                                        }) : inner;
                            }) : made;
                });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
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
