package io.warren.worker;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warren.api.Job;
import io.warren.api.JobHandler;
import io.warren.api.JobHeaders;
import io.warren.api.JobProperties;
import io.warren.api.PermanentJobFailure;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/**
 * Runs one delivery of a job through its handler. The message body is left untouched, so a
 * dead letter carries exactly what was consumed. Whatever any client published is handled the
 * same way: a body that is not a JSON object is a permanent failure, not a crash loop.
 */
public final class JobExecution implements Processor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobHandler handler;

    /** The job type's handler; the worker template sets it from its {@code handler} parameter. */
    public void setHandler(JobHandler handler) {
        this.handler = handler;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        run(handler, exchange);
    }

    public static void run(JobHandler handler, Exchange exchange) throws Exception {
        // counts the handler's own runs: Camel's redelivery counter also counts retries of other steps
        int attempt = exchange.getProperty(JobProperties.ATTEMPT, 0, Integer.class) + 1;
        exchange.setProperty(JobProperties.ATTEMPT, attempt);
        Job job = read(exchange, attempt);
        exchange.setProperty(JobProperties.JOB, job);
        try {
            handler.handle(job);
        } catch (PermanentJobFailure e) {
            throw e;
        } catch (Exception e) {
            if (handler.isPermanent(e)) {
                throw new PermanentJobFailure(e.getMessage(), e);
            }
            throw e;
        }
    }

    static Job read(Exchange exchange, int attempt) throws PermanentJobFailure {
        Message message = exchange.getMessage();
        byte[] body = message.getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new PermanentJobFailure("Job body is empty");
        }
        JsonNode payload;
        try {
            payload = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new PermanentJobFailure("Job body is not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new PermanentJobFailure("Job body is unreadable: " + e.getMessage());
        }
        if (!(payload instanceof ObjectNode object)) {
            throw new PermanentJobFailure("Job body is not a JSON object");
        }
        return new Job(
                message.getHeader(SpringRabbitMQConstants.MESSAGE_ID, String.class),
                message.getHeader(SpringRabbitMQConstants.ROUTING_KEY, String.class),
                object,
                message.getHeader(JobHeaders.CORRELATION_ID, String.class),
                message.getHeader(JobHeaders.PRODUCER, String.class),
                instant(message.getHeader(JobHeaders.ACCEPTED_AT, String.class)),
                attempt);
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
