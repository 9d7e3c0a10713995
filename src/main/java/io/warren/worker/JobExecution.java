package io.warren.worker;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warren.api.Job;
import io.warren.api.JobHandler;
import io.warren.api.JobHeaders;
import io.warren.api.PermanentJobFailure;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/**
 * A delivered job as a handler sees it, and a handler's run. Whatever any client published is
 * handled the same way: a body that is not a JSON object is a permanent failure, not a crash loop.
 */
public final class JobExecution {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobExecution() {
    }

    /** Runs the handler; a failure it calls permanent becomes a {@link PermanentJobFailure}. */
    public static void run(JobHandler handler, Job job) throws Exception {
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

    /** The job in a delivered message, for attempt {@code attempt} (from 1). */
    public static Job read(Message message, String type, int attempt) throws PermanentJobFailure {
        byte[] body = message.getBody();
        if (body == null || body.length == 0) {
            throw new PermanentJobFailure("Job body is empty");
        }
        JsonNode payload;
        try {
            payload = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new PermanentJobFailure("Job body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PermanentJobFailure("Job body is unreadable: " + e.getMessage());
        }
        if (!(payload instanceof ObjectNode object)) {
            throw new PermanentJobFailure("Job body is not a JSON object");
        }
        MessageProperties properties = message.getMessageProperties();
        return new Job(properties.getMessageId(), type, object, header(properties, JobHeaders.CORRELATION_ID),
                header(properties, JobHeaders.PRODUCER), instant(header(properties, JobHeaders.ACCEPTED_AT)), attempt);
    }

    private static String header(MessageProperties properties, String name) {
        Object value = properties.getHeader(name);
        return value == null ? null : value.toString();
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
