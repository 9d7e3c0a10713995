package io.warren.status;

import io.warren.http.ApiError;
import io.warren.http.HttpReply;
import io.warren.store.JobReads;
import io.warren.store.JobRecord;
import io.warren.store.JobStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The job status API (routes/job-status.yaml): one job, a page of jobs, a job's history. Methods
 * are called by name from the routes; each sets the whole HTTP answer.
 */
public class JobQueries {

    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int MAX_LIMIT = 500;

    private JobReads reads;

    public void setReads(JobReads reads) {
        this.reads = reads;
    }

    /** GET /api/v1/jobs/{id} */
    public void job(Exchange exchange) {
        JobRecord job = reads.find(jobId(exchange)).orElseThrow(() -> unknownJob());
        HttpReply.send(exchange, 200, JobView.of(job), Map.of());
    }

    /** GET /api/v1/jobs/{id}/history */
    public void history(Exchange exchange) {
        String id = jobId(exchange);
        JobRecord job = reads.find(id).orElseThrow(() -> unknownJob());
        List<JobView.Event> events = reads.history(job).stream().map(JobView.Event::of).toList();
        HttpReply.send(exchange, 200, new History(id, job.status().name(), events), Map.of());
    }

    /** GET /api/v1/stats: jobs by type and status. */
    public void stats(Exchange exchange) {
        HttpReply.send(exchange, 200, new Stats(reads.countsByTypeAndStatus()), Map.of());
    }

    /** A job's timeline, oldest first. */
    public record History(String jobId, String status, List<JobView.Event> events) {
    }

    /** Counts: type -> status -> jobs. */
    public record Stats(Map<String, Map<String, Long>> jobsByTypeAndStatus) {
    }

    /** The query parameters every listing takes, checked. */
    public record Filter(String type, Instant since, int limit, String cursor) {
    }

    public static Filter filter(Message in) {
        String cursor = in.getHeader("cursor", String.class);
        if (cursor != null && !JOB_ID.matcher(cursor).matches()) {
            throw new ApiError(400, "invalid_cursor", "cursor must be the nextCursor of a previous page");
        }
        return new Filter(in.getHeader("type", String.class), since(in.getHeader("since", String.class)),
                limit(in.getHeader("limit", String.class)), cursor);
    }

    /** GET /api/v1/jobs?type=&status=&since=&limit=&cursor= : newest first. */
    public void list(Exchange exchange) {
        Message in = exchange.getMessage();
        Filter filter = filter(in);
        JobStatus status = status(in.getHeader("status", String.class));
        List<JobRecord> page = reads.page(filter.type(), status, null, filter.since(), filter.cursor(), filter.limit() + 1);
        HttpReply.send(exchange, 200, new JobView.Page(page.stream().limit(filter.limit()).map(JobView::of).toList(),
                page.size() > filter.limit() ? page.get(filter.limit() - 1).id() : null), Map.of());
    }

    private static String jobId(Exchange exchange) {
        String id = exchange.getMessage().getHeader("ref", String.class);
        if (id == null) {
            id = exchange.getMessage().getHeader("id", String.class);
        }
        if (id == null || !JOB_ID.matcher(id).matches()) {
            throw unknownJob();
        }
        return id;
    }

    private static ApiError unknownJob() {
        return new ApiError(404, "unknown_job", "No job with this id");
    }

    private static JobStatus status(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JobStatus.valueOf(text.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "invalid_status", "status must be one of " + Arrays.toString(JobStatus.values()));
        }
    }

    private static Instant since(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new ApiError(400, "invalid_since", "since must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
        }
    }

    private static int limit(String text) {
        if (text == null || text.isBlank()) {
            return 50;
        }
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiError(400, "invalid_limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
    }
}
