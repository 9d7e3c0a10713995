package io.warren.deadletter;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.warren.api.JobProperties;
import io.warren.http.ApiError;
import io.warren.http.HttpReply;
import io.warren.security.ApiGuard;
import io.warren.status.JobQueries;
import io.warren.status.JobView;
import io.warren.store.JobReads;
import io.warren.store.JobRecord;
import io.warren.store.JobStatus;
import io.warren.store.JobTransitions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The dead-letter API (routes/dead-letter-api.yaml): browse dead jobs with why they failed, replay
 * them (one, or all that match a filter, paced by the replay route), discard them. A replay puts the
 * job back into the outbox under its own id, so its history goes on and a second replay of the same
 * job is refused instead of running it twice.
 */
public class DeadLetters {

    /** How long the paced replay route has to publish a replayed job before the outbox relay does. */
    private static final Duration PUBLISH_WITHIN = Duration.ofMinutes(5);

    /** Exchange property: the ids the route hands to the paced replay route. */

    private JobReads reads;
    private JobTransitions transitions;

    public void setReads(JobReads reads) {
        this.reads = reads;
    }

    public void setTransitions(JobTransitions transitions) {
        this.transitions = transitions;
    }

    /** GET /api/v1/dead-letters?type=&exception=&since=&limit=&cursor= */
    public void list(Exchange exchange) {
        Message in = exchange.getMessage();
        JobQueries.Filter filter = JobQueries.filter(in);
        List<JobRecord> page = reads.page(filter.type(), JobStatus.DEAD, in.getHeader("exception", String.class),
                filter.since(), filter.cursor(), filter.limit() + 1);
        HttpReply.send(exchange, 200, new Page(page.stream().limit(filter.limit()).map(JobView::of).toList(),
                page.size() > filter.limit() ? page.get(filter.limit() - 1).id() : null), Map.of());
    }

    /** GET /api/v1/dead-letters/{id}: the job, its stack trace and its history. */
    public void show(Exchange exchange) {
        JobRecord job = dead(exchange);
        HttpReply.send(exchange, 200, new DeadLetter(JobView.of(job, true),
                reads.history(job).stream().map(JobView.Event::of).toList()), Map.of());
    }

    /** POST /api/v1/dead-letters/{id}/replay */
    public void replay(Exchange exchange) {
        JobRecord job = dead(exchange);
        if (!replayOne(exchange, job.id())) {
            throw notDead(job.id());
        }
        HttpReply.send(exchange, 202, new Replayed(job.id(), "ACCEPTED", true), Map.of("Location", "/api/v1/jobs/" + job.id()));
    }

    /** POST /api/v1/dead-letters/replay {"type", "exception", "since", "limit", "dryRun", "all"}: see {@link ReplayFilter}. */
    public void replayMatching(Exchange exchange) throws IOException {
        ReplayFilter filter = ReplayFilter.parse(body(exchange));
        List<JobRecord> matching = reads.page(filter.type(), JobStatus.DEAD, filter.exception(), filter.since(), null, filter.limit());
        List<String> ids = new ArrayList<>();
        for (JobRecord job : matching) {
            if (filter.dryRun() || replayOne(exchange, job.id())) {
                ids.add(job.id());
            }
        }
        HttpReply.send(exchange, filter.dryRun() ? 200 : 202, new ReplayedMatching(filter.dryRun(), ids.size(), ids), Map.of());
    }

    /** DELETE /api/v1/dead-letters/{id} */
    public void discard(Exchange exchange) {
        JobRecord job = dead(exchange);
        if (!transitions.discard(job.id(), ApiGuard.principalOf(exchange))) {
            throw notDead(job.id());
        }
        HttpReply.send(exchange, 200, new Discarded(job.id(), "DISCARDED"), Map.of());
    }

    /** In the paced replay route: body is a job id; becomes the job's message. */
    public JobRecord replayed(Exchange exchange) {
        String id = exchange.getMessage().getBody(String.class);
        JobRecord job = reads.find(id).orElseThrow(() -> new IllegalStateException("replayed job " + id + " is gone"));
        exchange.setProperty(JobProperties.RECORD, job);
        return job;
    }

    @SuppressWarnings("unchecked")
    private boolean replayOne(Exchange exchange, String id) {
        if (!transitions.replay(id, ApiGuard.principalOf(exchange), PUBLISH_WITHIN)) {
            return false;
        }
        List<String> ids = exchange.getProperty(JobProperties.REPLAY_IDS, List.class);
        if (ids == null) {
            ids = new ArrayList<>();
            exchange.setProperty(JobProperties.REPLAY_IDS, ids);
        }
        ids.add(id);
        return true;
    }

    private JobRecord dead(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        JobRecord job = reads.find(id == null ? "" : id)
                .orElseThrow(() -> new ApiError(404, "unknown_job", "No job with this id"));
        if (job.status() != JobStatus.DEAD) {
            throw notDead(job.id());
        }
        return job;
    }

    private static ApiError notDead(String id) {
        return new ApiError(409, "not_dead", "Job " + id + " is not dead (any more): nothing to replay or discard");
    }

    private static JsonNode body(Exchange exchange) throws IOException {
        String text = exchange.getMessage().getBody(String.class);
        if (text == null || text.isBlank()) {
            throw new ApiError(400, "empty_body", "Send a JSON filter: {\"type\": ...} or {\"all\": true}");
        }
        try {
            JsonNode node = HttpReply.JSON.readTree(text);
            if (!node.isObject()) {
                throw new ApiError(400, "not_an_object", "The filter must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ApiError(400, "malformed_json", "The filter is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A page of dead jobs, newest first. */
    public record Page(List<JobView> deadLetters, String nextCursor) {
    }

    /** A dead job with its stack trace, and its history. */
    public record DeadLetter(@JsonUnwrapped JobView job, List<JobView.Event> history) {
    }

    public record Replayed(String jobId, String status, boolean replayed) {
    }

    public record ReplayedMatching(boolean dryRun, int count, List<String> jobIds) {
    }

    public record Discarded(String jobId, String status) {
    }
}
