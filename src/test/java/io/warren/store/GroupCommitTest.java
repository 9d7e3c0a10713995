package io.warren.store;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Group commit against an in-memory H2: each caller gets its own result or its own failure. */
class GroupCommitTest {

    private final JdbcDataSource dataSource = new JdbcDataSource();
    private GroupCommit groupCommit;
    private Connection keepAlive;

    @BeforeEach
    void database() throws Exception {
        dataSource.setURL("jdbc:h2:mem:group" + System.nanoTime());
        keepAlive = dataSource.getConnection();
        keepAlive.createStatement().execute("CREATE TABLE t (id INT PRIMARY KEY)");
        groupCommit = new GroupCommit(dataSource, dataSource.getURL(), false, new SimpleMeterRegistry());
    }

    @AfterEach
    void close() throws Exception {
        groupCommit.close();
        keepAlive.close();
    }

    @Test
    void concurrentCallersEachGetTheirResultAndTheirRowsAreCommitted() throws Exception {
        int callers = 200;
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            int id = i;
            results.add(pool.submit(() -> {
                start.await();
                return groupCommit.run(List.of(), c -> insert(c, id));
            }));
        }
        start.countDown();
        for (int i = 0; i < callers; i++) {
            assertEquals(i, results.get(i).get());
        }
        pool.shutdown();
        assertEquals(callers, count());
    }

    @Test
    void oneFailingWorkFailsOnlyItsCaller() throws Exception {
        groupCommit.run(List.of(), c -> insert(c, 1));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            int id = i; // id 1 exists: a unique violation for that caller only
            results.add(pool.submit(() -> {
                start.await();
                return groupCommit.run(List.of(), c -> insert(c, id));
            }));
        }
        start.countDown();
        Exception failure = assertThrows(Exception.class, () -> results.get(0).get());
        assertTrue(failure.getCause() instanceof StoreUnavailable, failure.toString());
        for (int i = 1; i < 50; i++) {
            assertEquals(i + 1, results.get(i).get());
        }
        pool.shutdown();
        assertEquals(50, count());
    }

    @Test
    void withoutADatabaseEveryCallerGetsStoreUnavailable() {
        JdbcDataSource missing = new JdbcDataSource();
        missing.setURL("jdbc:h2:mem:absent;IFEXISTS=TRUE");
        try (GroupCommit broken = new GroupCommit(missing, missing.getURL(), false, new SimpleMeterRegistry())) {
            assertThrows(StoreUnavailable.class, () -> broken.run(List.of(), c -> insert(c, 1)));
        }
    }

    @Test
    void worksQueuedWhenTheWriterStopsStillCommitAndAnswer() throws Exception {
        // the first work holds the writer until the test interrupts it, with two more queued behind
        AtomicReference<Thread> writer = new AtomicReference<>();
        CountDownLatch holding = new CountDownLatch(1);
        CompletableFuture<Integer> first = groupCommit.submit(List.of(), c -> {
            writer.set(Thread.currentThread());
            holding.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the writer's next wait for work sees it
            }
            return insert(c, 1);
        });
        holding.await();
        CompletableFuture<Integer> second = groupCommit.submit(List.of(), c -> insert(c, 2));
        CompletableFuture<Integer> third = groupCommit.submit(List.of(), c -> insert(c, 3));

        writer.get().interrupt();

        assertEquals(1, first.get(10, TimeUnit.SECONDS));
        assertEquals(2, second.get(10, TimeUnit.SECONDS), "queued behind the writer's last transaction, run all the same");
        assertEquals(3, third.get(10, TimeUnit.SECONDS));
        int fourth = groupCommit.run(List.of(), c -> insert(c, 4));
        assertEquals(4, fourth, "later work runs without the writer");
        assertEquals(4, count());
    }

    @Test
    void afterCloseAWorkRunsAtOnceAndItsFailureIsItsOwn() throws Exception {
        groupCommit.close();
        CompletableFuture<Integer> stored = groupCommit.submit(List.of(), c -> insert(c, 5));
        assertTrue(stored.isDone(), "run by the caller, with no writer to wait for");
        assertEquals(5, stored.get());
        IllegalStateException broken = new IllegalStateException("broken");
        CompletableFuture<Integer> failed = groupCommit.submit(List.of(), c -> {
            insert(c, 6);
            throw broken;
        });
        assertTrue(failed.isCompletedExceptionally());
        assertEquals(broken, assertThrows(java.util.concurrent.ExecutionException.class, failed::get).getCause());
        assertEquals(1, count(), "the failed work's insert rolled back");
    }

    private static int insert(Connection c, int id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (id) VALUES (?)")) {
            ps.setInt(1, id);
            ps.executeUpdate();
        }
        return id;
    }

    private int count() throws Exception {
        try (ResultSet rs = keepAlive.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
