package io.warren.store;

import java.util.List;

/**
 * A job's status. Transitions only go forward: a late or duplicate delivery cannot turn a finished
 * job back into a running one. RUNNING and RETRYING alternate while attempts go on.
 */
public enum JobStatus {
    /** Stored, not yet confirmed by the broker (the outbox relay publishes it). */
    ACCEPTED,
    /** Confirmed by the broker, waiting for a worker. */
    QUEUED,
    RUNNING,
    /** An attempt failed; the next one waits for its back-off. */
    RETRYING,
    SUCCEEDED,
    DEAD,
    /** A dead job an operator discarded; kept for its history. */
    DISCARDED;

    public boolean isFinished() {
        return this == SUCCEEDED || this == DEAD || this == DISCARDED;
    }

    /** The statuses a job may be in for an attempt to start. */
    static final List<JobStatus> RUNNABLE = List.of(ACCEPTED, QUEUED, RUNNING, RETRYING);
}
