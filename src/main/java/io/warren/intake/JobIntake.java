package io.warren.intake;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.JobHeaders;
import io.warren.broker.JobTypes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.springframework.amqp.core.MessageDeliveryMode;

/**
 * Checks a job request (method, type, content type, size, a JSON object) and turns it into the
 * message to publish: the posted bytes as body, and only warren's own headers; every client header
 * is dropped here, so none reaches AMQP.
 */
public class JobIntake implements Processor {

    public static final String JOB_ID = "warrenJobId";
    public static final String JOB_TYPE = "warrenJobType";
    public static final String ACCEPTED_AT = "warrenAcceptedAt";
    public static final String CORRELATION_ID = "warrenCorrelationId";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern SAFE_CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private JobTypes jobTypes;
    private Drain drain;
    private String producer = defaultProducer();
    private final String host = hostName();

    public void setJobTypes(JobTypes jobTypes) {
        this.jobTypes = jobTypes;
    }

    public void setDrain(Drain drain) {
        this.drain = drain;
    }

    public void setProducer(String producer) {
        if (producer != null && !producer.isBlank()) {
            this.producer = producer;
        }
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        if (!"POST".equals(in.getHeader(Exchange.HTTP_METHOD, String.class))) {
            throw new JobRejected(405, "method_not_allowed", "Only POST is allowed here", Map.of("Allow", "POST"));
        }
        if (drain != null && drain.isDraining()) {
            throw new JobRejected(503, "shutting_down", "warren is shutting down; send the job to another instance or retry",
                    Map.of("Retry-After", "5"));
        }
        String type = typeOf(in);
        if (!jobTypes.isKnown(type)) {
            throw new JobRejected(404, "unknown_type", "Unknown job type '" + printable(type) + "'; known types: "
                    + String.join(", ", jobTypes.names()));
        }
        requireJson(in.getHeader(Exchange.CONTENT_TYPE, String.class));
        byte[] body = in.getBody(byte[].class);
        if (body == null || body.length == 0) {
            throw new JobRejected(400, "empty_body", "The request body is empty; send a JSON object");
        }
        requireObject(body);

        Instant acceptedAt = Instant.now();
        String jobId = JobIds.next(acceptedAt.toEpochMilli()).toString();
        String correlationId = correlationId(in.getHeader("X-Correlation-Id", String.class));

        in.getHeaders().clear();
        in.setBody(body);
        in.setHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, type);
        in.setHeader(SpringRabbitMQConstants.MESSAGE_ID, jobId);
        in.setHeader(SpringRabbitMQConstants.TIMESTAMP, Date.from(acceptedAt));
        in.setHeader(SpringRabbitMQConstants.CONTENT_TYPE, "application/json");
        in.setHeader(SpringRabbitMQConstants.DELIVERY_MODE, MessageDeliveryMode.PERSISTENT);
        in.setHeader(SpringRabbitMQConstants.CORRELATION_ID, correlationId);
        in.setHeader(JobHeaders.TYPE, type);
        in.setHeader(JobHeaders.PRODUCER, producer);
        in.setHeader(JobHeaders.HOST, host);
        in.setHeader(JobHeaders.CORRELATION_ID, correlationId);
        in.setHeader(JobHeaders.ACCEPTED_AT, acceptedAt.toString());

        exchange.setProperty(JOB_ID, jobId);
        exchange.setProperty(JOB_TYPE, type);
        exchange.setProperty(ACCEPTED_AT, acceptedAt.toString());
        exchange.setProperty(CORRELATION_ID, correlationId);
    }

    /** The type from the request path, not from a header a client could have sent. */
    private static String typeOf(Message in) {
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        if (path == null) {
            path = in.getHeader(Exchange.HTTP_URI, String.class);
        }
        String type = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        int query = type.indexOf('?');
        return query >= 0 ? type.substring(0, query) : type;
    }

    private static void requireJson(String contentType) {
        String media = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (!media.equalsIgnoreCase("application/json")) {
            throw new JobRejected(415, "unsupported_media_type",
                    "Content-Type must be application/json, got '" + printable(contentType == null ? "none" : contentType) + "'");
        }
        String lower = contentType.toLowerCase();
        int charset = lower.indexOf("charset=");
        if (charset >= 0 && !lower.substring(charset + 8).trim().replace("\"", "").startsWith("utf-8")) {
            throw new JobRejected(415, "unsupported_charset", "Only UTF-8 JSON is accepted");
        }
    }

    private static void requireObject(byte[] body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new JobRejected(400, "malformed_json", "The body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new JobRejected(400, "malformed_json", "The body could not be read as JSON");
        }
        if (node == null || !node.isObject()) {
            throw new JobRejected(400, "not_an_object", "The body must be a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase()));
        }
    }

    private static String correlationId(String given) {
        return given != null && SAFE_CORRELATION_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    private static String printable(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return cut.replaceAll("[^\\x20-\\x7E]", "?");
    }

    private static String defaultProducer() {
        return System.getProperty("user.name", "warren") + "@" + hostName();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
