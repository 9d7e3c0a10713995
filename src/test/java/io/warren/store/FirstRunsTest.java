package io.warren.store;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static io.warren.store.JobRows.JOBS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first run's writes folded where they meet, on the embedded H2 database migrated as warren
 * migrates it: the publish carried by the start, start and success in one update, the marks
 * recorded when nothing takes them, and the claim's read skipped only while no relay can have
 * copied the job.
 */
class FirstRunsTest {

    private static final Duration RELAY_AFTER = Duration.ofSeconds(10);

    @TempDir
    Path data;
    private HikariDataSource dataSource;
    private GroupCommit groupCommit;
    private FirstRuns firstRuns;

    @BeforeEach
    void store() {
        dataSource = Database.pool(Database.url(null, data.toString()), "", "", 2);
        Database.migrate(dataSource);
        groupCommit = new GroupCommit(dataSource, dataSource.getJdbcUrl(), true, new SimpleMeterRegistry());
        firstRuns = new FirstRuns(dataSource, groupCommit, new JobTransitions(dataSource, groupCommit), RELAY_AFTER);
    }

    @AfterEach
    void close() {
        firstRuns.close();
        groupCommit.close();
        dataSource.close();
    }

    @Test
    void aJobWhoseWorkerKeepsUpGetsItsPublishStartAndSuccessInOneUpdate() throws Exception {
        JobRecord job = stored(Instant.now());
        Instant sentAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        firstRuns.publishing(List.of(job), sentAt);
        firstRuns.published(List.of(job.id()), List.of(), sentAt);

        assertTrue(firstRuns.waiting(job.id()));
        var claim = firstRuns.startLater(job.id(), 1);
        firstRuns.succeededLater(job.id(), 1, "done").get();

        assertEquals(JobTransitions.Claim.RUN, claim.get());
        JobRecord after = find(job.id());
        assertEquals(JobStatus.SUCCEEDED, after.status());
        assertEquals(1, after.attempts());
        assertEquals(sentAt, after.publishedAt());
        assertNotNull(after.startedAt());
        assertNotNull(after.finishedAt());
        assertEquals("done", after.result());
        firstRuns.recordConfirmed(); // the mark went with the start: nothing left to record
        assertEquals(JobStatus.SUCCEEDED, find(job.id()).status());
    }

    @Test
    void aReplayedJobsFirstDeliveryStillGetsItsStartInTheHistory() throws Exception {
        JobRecord job = stored(Instant.now());
        try (Connection c = dataSource.getConnection(); var update = c.prepareStatement("UPDATE jobs SET attempts = 3 WHERE id = ?")) {
            update.setString(1, job.id());
            update.executeUpdate(); // ran three times and died; replayed with published_at never recorded
        }
        JobRecord replayed = find(job.id());
        Instant sentAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        firstRuns.publishing(List.of(replayed), sentAt);
        firstRuns.published(List.of(job.id()), List.of(), sentAt);

        firstRuns.startLater(job.id(), 1);
        firstRuns.succeededLater(job.id(), 1, "done").get();

        assertEquals(JobStatus.SUCCEEDED, find(job.id()).status());
        try (Connection c = dataSource.getConnection();
             var events = c.prepareStatement("SELECT COUNT(*) FROM job_events WHERE job_id = ? AND event = 'ATTEMPT_STARTED'")) {
            events.setString(1, job.id());
            try (var count = events.executeQuery()) {
                count.next();
                assertEquals(1, count.getInt(1), "the fourth start is in the history");
            }
        }
    }

    @Test
    void aStartWhoseSuccessDoesNotComeIsWrittenAfterItsHold() throws Exception {
        JobRecord job = stored(Instant.now());

        var claim = firstRuns.startLater(job.id(), 1);

        assertEquals(JobTransitions.Claim.RUN, claim.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(JobStatus.RUNNING, find(job.id()).status());
        assertEquals(1, find(job.id()).attempts());
    }

    @Test
    void aFailureRecordedWhileItsStartIsHeldComesAfterTheStart() throws Exception {
        JobRecord job = stored(Instant.now());
        JobTransitions transitions = new JobTransitions(dataSource, groupCommit);

        firstRuns.startLater(job.id(), 1);
        firstRuns.startNow(job.id());
        transitions.attemptFailed(job.id(), 1, "java.lang.IllegalStateException", "boom");

        JobRecord after = find(job.id());
        assertEquals(JobStatus.RETRYING, after.status(), "the failure was not applied before the start");
        assertEquals("boom", after.lastErrorMessage());
    }

    @Test
    void aConfirmedPublishNoWorkerTookIsRecordedQueued() throws Exception {
        JobRecord job = stored(Instant.now());
        Instant sentAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        firstRuns.publishing(List.of(job), sentAt);
        firstRuns.published(List.of(job.id()), List.of(), sentAt);

        firstRuns.recordConfirmed();

        JobRecord after = find(job.id());
        assertEquals(JobStatus.QUEUED, after.status());
        assertEquals(sentAt, after.publishedAt());
        assertNull(relayAt(job.id()), "the relay leaves a confirmed job alone");
    }

    @Test
    void anUnconfirmedPublishLeavesTheJobToTheRelay() throws Exception {
        JobRecord job = stored(Instant.now());
        Instant sentAt = Instant.now();
        firstRuns.publishing(List.of(job), sentAt);
        firstRuns.published(List.of(), List.of(job.id()), sentAt);

        firstRuns.recordConfirmed();

        assertEquals(JobStatus.ACCEPTED, find(job.id()).status());
        assertNotNull(relayAt(job.id()));
    }

    @Test
    void theReadIsSkippedOnlyWhileNoRelayCanHaveCopiedTheJob() throws Exception {
        JobRecord fresh = stored(Instant.now());
        JobRecord old = stored(Instant.now().minus(RELAY_AFTER)); // sent late: a relay may have taken it
        for (JobRecord job : List.of(fresh, old)) {
            markRelayed(job.id()); // as the relay's lease does; a read says: not the only copy
            firstRuns.publishing(List.of(job), Instant.now());
        }

        assertTrue(firstRuns.waiting(fresh.id()), "trusted: this instance sent it moments after its acceptance");
        assertFalse(firstRuns.waiting(old.id()), "read, and the read finds the relay's copy");
    }

    private JobRecord stored(Instant acceptedAt) {
        JobRecord job = JobRecord.accepted(UUID.randomUUID().toString(), "echo", "{}", "c", "p", "h", null, null, acceptedAt);
        groupCommit.run(List.of(), c -> {
            try (Sql.Bound insert = JOBS.prepare(c, "insert")) {
                insert.set("relay_at", acceptedAt.plus(RELAY_AFTER)).set("id", job.id()).set("type", job.type())
                        .set("payload", job.payload()).set("correlation_id", job.correlationId()).set("producer", job.producer())
                        .set("host", job.host()).set("idempotency_key", null)
                        .set("request_hash", null).set("accepted_at", acceptedAt).update();
            }
            return null;
        });
        return job;
    }

    private JobRecord find(String id) {
        return Transactions.run(dataSource, c -> {
            try (Sql.Bound find = JOBS.prepare(c, "find")) {
                return find.set("id", id).one(JobRows::job).orElseThrow();
            }
        });
    }

    private Instant relayAt(String id) throws Exception {
        try (Connection c = dataSource.getConnection(); var read = c.prepareStatement("SELECT relay_at FROM jobs WHERE id = ?")) {
            read.setString(1, id);
            try (var row = read.executeQuery()) {
                row.next();
                var at = row.getObject(1, java.time.OffsetDateTime.class);
                return at == null ? null : at.toInstant();
            }
        }
    }

    private void markRelayed(String id) throws Exception {
        try (Connection c = dataSource.getConnection(); var update = c.prepareStatement("UPDATE jobs SET relayed = TRUE WHERE id = ?")) {
            update.setString(1, id);
            update.executeUpdate();
        }
    }
}
