package io.warren.store;

/** What a row of a job's history records. */
public enum JobEventKind {
    ACCEPTED, PUBLISHED, ATTEMPT_STARTED, ATTEMPT_FAILED, SUCCEEDED, DEAD_LETTERED, DUPLICATE_SUPPRESSED,
    REPLAYED, DISCARDED, REQUEUED, PURGED
}
