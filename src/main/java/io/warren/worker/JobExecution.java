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
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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

    private static final int[] SCALE = {100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    /**
     * The acceptance time warren stamps ({@code Instant.toString()}: 2026-12-01T10:00:00.123456Z),
     * read digit by digit: {@code Instant.parse} was a tenth of a worker thread's time. Any other
     * form goes through {@code Instant.parse}; one it cannot read is null.
     */
    static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        int n = text.length();
        int fraction = n - 21; // digits between "ss." and "Z"
        if (n >= 20 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T' && text.charAt(13) == ':'
                && text.charAt(16) == ':' && text.charAt(n - 1) == 'Z' && (n == 20 || text.charAt(19) == '.' && fraction >= 1 && fraction <= 9)) {
            try {
                int nanos = n == 20 ? 0 : digits(text, 20, n - 1) * SCALE[fraction - 1];
                return LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10), digits(text, 11, 13),
                        digits(text, 14, 16), digits(text, 17, 19), nanos).toInstant(ZoneOffset.UTC);
            } catch (RuntimeException notThisForm) {
                // below
            }
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(text);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
