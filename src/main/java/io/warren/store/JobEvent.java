package io.warren.store;

import java.time.Instant;

/** One entry of a job's history. */
public record JobEvent(Instant at, String event, Integer attempt, String detail) {
}
