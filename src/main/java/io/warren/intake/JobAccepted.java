package io.warren.intake;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
        ObjectNode body = HttpReply.JSON.createObjectNode()
                .put("jobId", job.id())
                .put("type", job.type())
                .put("status", existing ? job.status().name() : "ACCEPTED")
                .put("acceptedAt", job.acceptedAt().toString());
        Map<String, String> headers = new HashMap<>();
        headers.put("Location", "/api/v1/jobs/" + job.id());
        headers.put("X-Correlation-Id", job.correlationId());
        if (existing) {
            headers.put("Idempotent-Replayed", "true");
        }
        HttpReply.send(exchange, 202, body, headers);
    }
}
