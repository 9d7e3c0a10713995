package io.warren.store;

import static io.warren.store.JobRows.JOBS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's batches of one statement, on the embedded H2 database migrated as warren migrates
 * it. The writer is held on a work until everything else is queued, so the rest is one transaction:
 * jobs' inserts and their start-and-success, in two JDBC batches, each job's in its queue order.
 */
class SharedTransactionTest {

    private static final Duration RELAY_AFTER = Duration.ofSeconds(10);

    @TempDir
    Path data;
    private HikariDataSource dataSource;
    private GroupCommit groupCommit;
    private StoreHealth health;
    private NewJobs newJobs;
    private FirstRuns firstRuns;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void store() {
        dataSource = Database.pool(Database.url(null, data.toString()), "", "", 4);
        Database.migrate(dataSource);
        groupCommit = new GroupCommit(dataSource, dataSource.getJdbcUrl(), true, new SimpleMeterRegistry());
        health = StoreHealth.start(dataSource, Duration.ofSeconds(1));
        newJobs = new NewJobs(dataSource, groupCommit, Duration.ofHours(1), RELAY_AFTER, health);
        firstRuns = new FirstRuns(dataSource, groupCommit, new JobTransitions(dataSource, groupCommit), RELAY_AFTER);
    }

    @AfterEach
    void close() {
        release.countDown();
        firstRuns.close();
        groupCommit.close();
        health.close();
        dataSource.close();
    }

    @Test
    void jobsInsertedAndFinishedInOneTransactionEndSucceeded() {
        JobRecord stored = job();
        newJobs.insert(stored, null).awaitStored();
        CompletableFuture<Void> held = holdTheWriter();
        List<JobRecord> jobs = new ArrayList<>();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        Instant sentAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < 40; i++) {
            // the first success (of a job stored before) starts a batch of updates ahead of the inserts' batch
            JobRecord job = i == 0 ? stored : job();
            jobs.add(job);
            if (i > 0) {
                done.add(newJobs.insert(job, null).commit());
            }
            firstRuns.publishing(List.of(job), sentAt);
            firstRuns.published(List.of(job.id()), List.of(), sentAt);
            firstRuns.startLater(job.id(), 1);
            done.add(firstRuns.succeededLater(job.id(), 1, "r" + i)); // its start still held: one update
        }
        release.countDown();
        held.join();
        done.forEach(CompletableFuture::join);

        for (int i = 0; i < jobs.size(); i++) {
            JobRecord after = find(jobs.get(i).id());
            assertEquals(JobStatus.SUCCEEDED, after.status(), "the success ran after its job's insert");
            assertEquals(1, after.attempts());
            assertEquals(sentAt, after.publishedAt());
            assertEquals("r" + i, after.result());
        }
    }

    @Test
    void aFailingInsertInABatchFailsOnlyItsCaller() {
        JobRecord first = job();
        newJobs.insert(first, null).awaitStored();
        CompletableFuture<Void> held = holdTheWriter();
        List<NewJobs.Inserted> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            others.add(newJobs.insert(job(), null));
        }
        NewJobs.Inserted again = newJobs.insert(first, null); // the same id: a unique violation
        release.countDown();
        held.join();

        CompletionException failure = assertThrows(CompletionException.class, () -> again.commit().join());
        assertTrue(failure.getCause() instanceof StoreUnavailable, failure.toString());
        others.forEach(NewJobs.Inserted::awaitStored);
        others.forEach(inserted -> assertEquals(JobStatus.ACCEPTED, find(inserted.job().id()).status()));
    }

    /** A work that keeps the writer until {@link #release}: what is queued meanwhile goes in one transaction. */
    private CompletableFuture<Void> holdTheWriter() {
        return HeldWriter.hold(groupCommit, release);
    }

    private static JobRecord job() {
        return JobRecord.accepted(UUID.randomUUID().toString(), "echo", "{}", "c", "p", "h", null, null,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    private JobRecord find(String id) {
        return Transactions.run(dataSource, c -> {
            try (Sql.Bound find = JOBS.prepare(c, "find")) {
                return find.set("id", id).one(JobRows::job).orElseThrow();
            }
        });
    }
}
