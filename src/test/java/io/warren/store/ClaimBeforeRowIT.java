package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.warren.it.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two instances on one PostgreSQL database: one publishes a job while its insert is still
 * committing, and the other's worker claims the job before the row is there. The claim waits for
 * the row and holds (RUNNING), instead of running the job without a status record; while a
 * missing row may still come, the claim fails as in a database outage, to be tried again. Runs with
 * -Dwarren.test.db=postgres, on the database TestDatabase says.
 */
class ClaimBeforeRowIT {

    @Test
    void aClaimThatComesBeforeTheJobsRowWaitsForIt() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "a shared database: run with warren.test.db=postgres");
        try (FreshPostgres database = new FreshPostgres("warren_claim", 4);
             GroupCommit publishing = new GroupCommit(database.dataSource(), database.dataSource().getJdbcUrl(), false, new SimpleMeterRegistry());
             GroupCommit claiming = new GroupCommit(database.dataSource(), database.dataSource().getJdbcUrl(), false, new SimpleMeterRegistry());
             StoreHealth health = StoreHealth.start(database.dataSource(), Duration.ofSeconds(1))) {
            HikariDataSource dataSource = database.dataSource();
            NewJobs newJobs = new NewJobs(dataSource, publishing, Duration.ofHours(1), Duration.ofSeconds(10), health);
            JobTransitions otherInstance = new JobTransitions(dataSource, claiming);
            JobRecord job = JobRecord.accepted(UUID.randomUUID().toString(), "echo", "{}", "c", "p", "h", null, null,
                    Instant.now().truncatedTo(ChronoUnit.MICROS));

            // the publishing instance's writer is busy: the insert waits in its queue
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> busy = publishing.submit(List.of(), c -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            NewJobs.Inserted inserted = newJobs.insert(job, null);
            CompletableFuture<JobTransitions.Claim> claim = CompletableFuture.supplyAsync(
                    () -> otherInstance.startAttemptOnceStored(job.id(), 1, false, job::acceptedAt));
            Thread.sleep(300); // the claim has found no row by now
            release.countDown();
            busy.join();
            inserted.awaitStored();

            assertEquals(JobTransitions.Claim.RUN, claim.get(10, TimeUnit.SECONDS));

            // a row that does not come: tried again later while its insert may still commit, run without one after that
            String missing = UUID.randomUUID().toString();
            assertThrows(StoreUnavailable.class, () -> otherInstance.startAttemptOnceStored(missing, 1, false, Instant::now));
            assertEquals(JobTransitions.Claim.NOT_STORED,
                    otherInstance.startAttemptOnceStored(missing, 1, false, () -> Instant.now().minus(Duration.ofMinutes(5))));
            assertEquals(JobStatus.RUNNING, Transactions.run(dataSource, c -> {
                try (Sql.Bound find = JobRows.JOBS.prepare(c, "find")) {
                    return find.set("id", job.id()).one(JobRows::job).orElseThrow().status();
                }
            }));
        }
    }
}
