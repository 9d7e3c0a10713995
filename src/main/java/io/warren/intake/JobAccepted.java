package io.warren.intake;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The 202 answer, sent once the broker has confirmed the job. */
public class JobAccepted implements Processor {

    @Override
    public void process(Exchange exchange) {
        String jobId = exchange.getProperty(JobIntake.JOB_ID, String.class);
        ObjectNode body = HttpReply.JSON.createObjectNode()
                .put("jobId", jobId)
                .put("type", exchange.getProperty(JobIntake.JOB_TYPE, String.class))
                .put("status", "ACCEPTED")
                .put("acceptedAt", exchange.getProperty(JobIntake.ACCEPTED_AT, String.class));
        HttpReply.send(exchange, 202, body, Map.of(
                "Location", "/api/v1/jobs/" + jobId,
                "X-Correlation-Id", exchange.getProperty(JobIntake.CORRELATION_ID, String.class)));
    }
}
