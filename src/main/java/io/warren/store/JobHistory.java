package io.warren.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A job's history as it is shown. The steps every job takes are not written as rows: they are the
 * job's own columns (accepted_at, published_at, started_at, finished_at), so a job that runs once
 * adds no history rows, and the writes that every job costs are halved. Rows are written only for
 * what the columns cannot say: a publish or a start after the first, failures, duplicates,
 * takeovers, dead letters and what operators did.
 */
final class JobHistory {

    private JobHistory() {
    }

    /** The job's steps from its columns, merged by time with its recorded rows (in their order). */
    static List<JobEvent> of(JobRecord job, List<JobEvent> recorded) {
        List<JobEvent> events = new ArrayList<>();
        events.add(new JobEvent(job.acceptedAt(), JobEventKind.ACCEPTED.name(), null,
                job.idempotencyKey() == null ? null : "idempotency key " + job.idempotencyKey()));
        if (job.publishedAt() != null) {
            events.add(new JobEvent(job.publishedAt(), JobEventKind.PUBLISHED.name(), null, null));
        }
        if (job.startedAt() != null) {
            events.add(new JobEvent(job.startedAt(), JobEventKind.ATTEMPT_STARTED.name(), 1, null));
        }
        events.addAll(recorded);
        if (job.status() == JobStatus.SUCCEEDED) {
            events.add(new JobEvent(job.finishedAt(), JobEventKind.SUCCEEDED.name(), job.attempts(), null));
        }
        // stable: at the same instant, the order above (a job's own steps first, its success last)
        events.sort(Comparator.comparing(JobEvent::at));
        return events;
    }
}
