package io.warren.intake;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.warren.http.ApiError;
import io.warren.http.ErrorBody;
import io.warren.http.HttpReply;
import io.warren.http.RequestBody;
import io.warren.publish.JobPublisher;
import io.warren.store.JobRecord;
import io.warren.store.NewJobs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;

/**
 * POST /api/v1/jobs/{type}/batch: a JSON array (or NDJSON) of up to {@value #MAX_ITEMS} jobs, each
 * checked like a single one; the valid ones are stored in one transaction, then the answer lists
 * per item its job id or its error, in order. With answer-after=commit (the default) the stored jobs
 * are answered at once and published after, by the thread that publishes single jobs; with
 * answer-after=confirm they are published on one channel and confirmed by the broker together
 * first. Java rather than a route: Camel's producer waits for each confirm in turn, the batch waits
 * once. Outbox rules as for one job: what the broker does not take is published later by the relay
 * (or, with the outbox off, taken back and reported per item as 503).
 */
public class BatchIntake implements Processor {

    public static final int MAX_ITEMS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(BatchIntake.class);

    private JobIntake intake;
    private NewJobs newJobs;
    private JobPublisher publisher;
    private boolean outbox = true;

    public void setIntake(JobIntake intake) {
        this.intake = intake;
    }

    public void setNewJobs(NewJobs newJobs) {
        this.newJobs = newJobs;
    }

    public void setPublisher(JobPublisher publisher) {
        this.publisher = publisher;
    }

    public void setOutbox(boolean outbox) {
        this.outbox = outbox;
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String path = String.valueOf(in.getHeader(Exchange.HTTP_PATH, String.class)).replaceAll("/batch/?$", "");
        String type = intake.acceptingType(path.substring(path.lastIndexOf('/') + 1));
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        boolean ndjson = contentType != null && contentType.toLowerCase().startsWith("application/x-ndjson");
        if (!ndjson) {
            JsonBody.requireJson(contentType);
        }
        byte[] body = RequestBody.bytes(in);
        if (body == null || body.length == 0) {
            throw new ApiError(400, "empty_body", "Send a JSON array of job objects, or NDJSON");
        }
        JsonBody.requireUtf8(body);
        List<byte[]> items = ndjson ? lines(body) : elements(body);
        if (items.isEmpty() || items.size() > MAX_ITEMS) {
            throw new ApiError(400, "batch_size", "A batch holds 1 to " + MAX_ITEMS + " jobs, got " + items.size());
        }

        String correlationId = in.getHeader("X-Correlation-Id", String.class);
        Item[] results = new Item[items.size()];
        List<JobRecord> jobs = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                intake.payload(type, items.get(i));
                JobRecord job = intake.newJob(type, new String(items.get(i), StandardCharsets.UTF_8), correlationId, null, null);
                jobs.add(job);
                positions.add(i);
            } catch (ApiError e) {
                results[i] = Item.failed(i, e.code(), e.getMessage());
            }
        }
        if (!jobs.isEmpty()) {
            newJobs.insertAll(jobs);
            // answer-after=commit: stored is accepted; the publishing thread takes them as it takes
            // single jobs (and counts them), so no request thread waits on the broker
            boolean queued = publisher.acceptCommitted(jobs);
            Set<JobRecord> confirmed = queued ? Set.of() : publish(jobs);
            List<String> refused = new ArrayList<>();
            for (int j = 0; j < jobs.size(); j++) {
                JobRecord job = jobs.get(j);
                int i = positions.get(j);
                if (queued || confirmed.contains(job) || outbox) {
                    results[i] = new Item(i, job.id(), "ACCEPTED", null);
                    if (!queued) { // queued ones are counted as the publishing thread takes them
                        publisher.accepted(job);
                    }
                } else {
                    refused.add(job.id());
                    results[i] = Item.failed(i, "broker_unavailable", "The broker did not take the job; it was not accepted");
                }
            }
            newJobs.takeBackAll(refused);
        }
        long accepted = Arrays.stream(results).filter(result -> result.jobId() != null).count();
        HttpReply.send(exchange, 200, new Batch(type, accepted, results.length - accepted, List.of(results)), Map.of());
    }

    /** answer-after=confirm: the jobs the broker confirmed; the others stay stored for the outbox relay (or are taken back without it). */
    private Set<JobRecord> publish(List<JobRecord> jobs) {
        try {
            List<JobRecord> confirmed = publisher.publish(jobs, false);
            if (confirmed.size() < jobs.size()) {
                LOG.warn("The broker did not confirm {} of a batch of {} jobs{}", jobs.size() - confirmed.size(), jobs.size(),
                        outbox ? "; the outbox relay will publish them" : "");
            }
            return new HashSet<>(confirmed);
        } catch (AmqpException | RejectedExecutionException e) {
            LOG.warn("The broker did not take a batch of {} jobs ({}){}", jobs.size(), e.getMessage(),
                    outbox ? "; the outbox relay will publish them" : "");
            return Set.of();
        }
    }

    /** The answer: per item, in order, its job id or its error. */
    public record Batch(String type, long accepted, long rejected, List<Item> results) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(int index, String jobId, String status, ErrorBody.Error error) {

        static Item failed(int index, String code, String message) {
            return new Item(index, null, null, new ErrorBody.Error(code, message));
        }
    }

    private static List<byte[]> lines(byte[] body) {
        List<byte[]> items = new ArrayList<>();
        for (String line : new String(body, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                items.add(line.strip().getBytes(StandardCharsets.UTF_8));
            }
        }
        return items;
    }

    private static List<byte[]> elements(byte[] body) {
        JsonNode array = JsonBody.readStrict(body);
        if (array == null || !array.isArray()) {
            throw new ApiError(400, "not_an_array", "A batch is a JSON array of job objects (or NDJSON)");
        }
        List<byte[]> items = new ArrayList<>();
        for (JsonNode element : array) {
            items.add(element.toString().getBytes(StandardCharsets.UTF_8));
        }
        return items;
    }
}
