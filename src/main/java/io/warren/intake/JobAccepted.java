package io.warren.intake;

import io.warren.api.JobProperties;
import io.warren.http.HttpReply;
import io.warren.store.JobRecord;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The 202 answer: sent once the broker confirmed the job, or once it is stored for the outbox
 * relay. A repeated Idempotency-Key gets the first job, with its current status.
 */
public class JobAccepted implements Processor {

    @Override
    public void process(Exchange exchange) {
        JobRecord job = exchange.getProperty(JobProperties.RECORD, JobRecord.class);
        boolean existing = exchange.getProperty(JobProperties.EXISTING, false, Boolean.class);
        Accepted body = new Accepted(job.id(), job.type(), existing ? job.status().name() : "ACCEPTED", job.acceptedAt().toString());
        Map<String, String> headers = new HashMap<>();
        headers.put("Location", "/api/v1/jobs/" + job.id());
        headers.put("X-Correlation-Id", job.correlationId());
        if (existing) {
            headers.put("Idempotent-Replayed", "true");
        }
        HttpReply.send(exchange, 202, body, headers);
    }

    /** The 202: the job's id, type, status and when it was accepted. */
    public record Accepted(String jobId, String type, String status, String acceptedAt) {
    }
}
