package io.warren.store;

import java.time.Instant;

/** One row of the jobs table. */
public record JobRecord(
        String id,
        String type,
        JobStatus status,
        int attempts,
        String payload,
        String correlationId,
        String producer,
        String host,
        String idempotencyKey,
        String requestHash,
        Instant acceptedAt,
        Instant publishedAt,
        Instant startedAt,
        Instant finishedAt,
        String lastErrorClass,
        String lastErrorMessage,
        String result,
        String lastErrorStack) {

    /** A job as the intake creates it. */
    public static JobRecord accepted(String id, String type, String payload, String correlationId, String producer,
                                     String host, String idempotencyKey, String requestHash, Instant acceptedAt) {
        return new JobRecord(id, type, JobStatus.ACCEPTED, 0, payload, correlationId, producer, host, idempotencyKey,
                requestHash, acceptedAt, null, null, null, null, null, null, null);
    }
}
