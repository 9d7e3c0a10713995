package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.warren.it.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL the driver sends a group commit's inserts as multi-row INSERTs, which give no count
 * per row: the jobs queued together still commit together, in one transaction, not one by one (as
 * a batch whose counts it could not read once did). Runs with -Dwarren.test.db=postgres, on the
 * database TestDatabase says.
 */
class BatchedInsertsIT {

    @Test
    void jobsQueuedTogetherAreInsertedInOneTransaction() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "PostgreSQL's driver: run with warren.test.db=postgres");
        try (FreshPostgres database = new FreshPostgres("warren_inserts", 2);
             GroupCommit commits = new GroupCommit(database.dataSource(), database.dataSource().getJdbcUrl(), false, new SimpleMeterRegistry());
             StoreHealth health = StoreHealth.start(database.dataSource(), Duration.ofSeconds(1))) {
            assertRewritten(database);
            NewJobs newJobs = new NewJobs(database.dataSource(), commits, Duration.ofHours(1), Duration.ofSeconds(10), health);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> held = HeldWriter.hold(commits, release);
            List<NewJobs.Inserted> inserted = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                inserted.add(newJobs.insert(job(i), null));
            }
            release.countDown();
            held.join();
            inserted.forEach(NewJobs.Inserted::awaitStored);

            try (Connection c = database.dataSource().getConnection();
                 PreparedStatement read = c.prepareStatement("SELECT count(*), count(DISTINCT xmin::text) FROM jobs WHERE id = ANY(?)")) {
                read.setArray(1, c.createArrayOf("varchar", inserted.stream().map(stored -> stored.job().id()).toArray()));
                try (ResultSet counts = read.executeQuery()) {
                    counts.next();
                    assertEquals(20, counts.getInt(1), "jobs stored");
                    assertEquals(1, counts.getInt(2), "transactions that stored them");
                }
            }
        }
    }

    private static JobRecord job(int n) {
        return JobRecord.accepted(UUID.randomUUID().toString(), "echo", "{\"n\":" + n + "}", "c", "p", "h", null, null,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    /** The driver sends a batch of inserts as one multi-row INSERT: no count per row (else this test would prove nothing). */
    private static void assertRewritten(FreshPostgres database) throws Exception {
        try (Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Sql.Bound insert = JobRows.JOBS.prepare(c, "insert")) {
                for (int i = 0; i < 2; i++) {
                    NewJobs.bind(insert, job(i), Duration.ofSeconds(10)).addBatch();
                }
                assertArrayEquals(new int[] {Statement.SUCCESS_NO_INFO, Statement.SUCCESS_NO_INFO}, insert.executeBatch());
            } finally {
                c.rollback();
            }
        }
    }
}
