package io.warren.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.warren.store.JobEvent;
import io.warren.store.JobRecord;
import java.time.Instant;
import java.util.List;

/** A job as the API shows it (schema Job of the OpenAPI document). */
public record JobView(String jobId, String type, String status, int attempts, String acceptedAt, String publishedAt,
                      String startedAt, String finishedAt, String correlationId, String idempotencyKey, String result,
                      LastError lastError) {

    /** The last failure; {@code stack} only where dead letters are shown (admin). */
    public record LastError(@JsonProperty("class") String errorClass, String message,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String stack) {
    }

    /** One row of a job's history. */
    public record Event(String at, String event, @JsonInclude(JsonInclude.Include.NON_NULL) Integer attempt,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String detail) {

        public static Event of(JobEvent event) {
            return new Event(event.at().toString(), event.event(), event.attempt(), event.detail());
        }
    }

    /** A page of jobs, newest first, and the cursor of the next one (null on the last). */
    public record Page(List<JobView> jobs, String nextCursor) {
    }

    public static JobView of(JobRecord job) {
        return of(job, false);
    }

    /** With the last error's stack trace: for the dead-letter API. */
    public static JobView of(JobRecord job, boolean withStack) {
        LastError lastError = job.lastErrorClass() == null ? null
                : new LastError(job.lastErrorClass(), job.lastErrorMessage(), withStack ? job.lastErrorStack() : null);
        return new JobView(job.id(), job.type(), job.status().name(), job.attempts(), text(job.acceptedAt()),
                text(job.publishedAt()), text(job.startedAt()), text(job.finishedAt()), job.correlationId(),
                job.idempotencyKey(), job.result(), lastError);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
