package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pure logic: a job's history from its columns and its recorded rows. */
class JobHistoryTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void aJobThatRanOnceHasItsFourStepsFromItsColumns() {
        JobRecord job = job(JobStatus.SUCCEEDED, 1, null, at(1), at(2), at(3));
        assertEquals(List.of("ACCEPTED @0", "PUBLISHED @1", "ATTEMPT_STARTED 1 @2", "SUCCEEDED 1 @3"), lines(job, List.of()));
    }

    @Test
    void recordedRowsGoBetweenTheStepsByTime() {
        JobRecord job = job(JobStatus.SUCCEEDED, 2, null, at(1), at(2), at(6));
        List<JobEvent> recorded = List.of(new JobEvent(at(3), "ATTEMPT_FAILED", 1, "java.lang.IllegalStateException: no"),
                new JobEvent(at(5), "ATTEMPT_STARTED", 2, null));
        assertEquals(List.of("ACCEPTED @0", "PUBLISHED @1", "ATTEMPT_STARTED 1 @2", "ATTEMPT_FAILED 1 @3", "ATTEMPT_STARTED 2 @5",
                "SUCCEEDED 2 @6"), lines(job, recorded));
    }

    @Test
    void aJobNotYetPublishedOrRunHasOnlyItsAcceptance() {
        assertEquals(List.of("ACCEPTED @0"), lines(job(JobStatus.ACCEPTED, 0, null, null, null, null), List.of()));
    }

    @Test
    void aDeadJobShowsItsRecordedDeadLetterAndNoSuccess() {
        JobRecord job = job(JobStatus.DEAD, 1, null, at(1), at(2), at(4));
        List<JobEvent> recorded = List.of(new JobEvent(at(4), "DEAD_LETTERED", 1, "x: y"));
        assertEquals(List.of("ACCEPTED @0", "PUBLISHED @1", "ATTEMPT_STARTED 1 @2", "DEAD_LETTERED 1 @4"), lines(job, recorded));
    }

    @Test
    void aStartTheWorkerRecordedBeforeTheConfirmStillFollowsThePublish() {
        // the claim's commit came first, but the publish was sent first: ordered by time, not by write
        JobRecord job = job(JobStatus.RUNNING, 1, null, at(1), at(2), null);
        assertEquals(List.of("ACCEPTED @0", "PUBLISHED @1", "ATTEMPT_STARTED 1 @2"), lines(job, List.of()));
    }

    @Test
    void anIdempotencyKeyIsTheAcceptanceDetailAndSameInstantRowsKeepTheirPlace() {
        JobRecord job = job(JobStatus.SUCCEEDED, 1, "order-7", at(1), at(2), at(2));
        List<JobEvent> recorded = List.of(new JobEvent(at(2), "DUPLICATE_SUPPRESSED", 1, "another copy"));
        List<JobEvent> history = JobHistory.of(job, recorded);
        assertEquals("idempotency key order-7", history.get(0).detail());
        assertEquals(List.of("ACCEPTED @0", "PUBLISHED @1", "ATTEMPT_STARTED 1 @2", "DUPLICATE_SUPPRESSED 1 @2", "SUCCEEDED 1 @2"),
                lines(job, recorded));
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static JobRecord job(JobStatus status, int attempts, String key, Instant published, Instant started, Instant finished) {
        return new JobRecord("j", "echo", status, attempts, "{}", null, null, null, key, null, T0, published, started, finished,
                null, null, null, null);
    }

    private static List<String> lines(JobRecord job, List<JobEvent> recorded) {
        return JobHistory.of(job, recorded).stream().map(e -> e.event() + (e.attempt() == null ? "" : " " + e.attempt())
                + " @" + (e.at().getEpochSecond() - T0.getEpochSecond())).toList();
    }
}
