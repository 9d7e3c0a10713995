package io.warren.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warren.api.JobHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/**
 * Turns the audit copy of a job into one JSON line: id, type, metadata and payload. A body that is
 * not JSON (published by some other client) is kept as a string rather than dropped.
 */
public class AuditLine implements Processor {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void process(Exchange exchange) throws IOException {
        Message message = exchange.getMessage();
        byte[] body = message.getBody(byte[].class);
        ObjectNode line = JSON.createObjectNode();
        line.put("jobId", message.getHeader(SpringRabbitMQConstants.MESSAGE_ID, String.class));
        line.put("type", message.getHeader(SpringRabbitMQConstants.ROUTING_KEY, String.class));
        line.put("acceptedAt", message.getHeader(JobHeaders.ACCEPTED_AT, String.class));
        line.put("producer", message.getHeader(JobHeaders.PRODUCER, String.class));
        line.put("host", message.getHeader(JobHeaders.HOST, String.class));
        line.put("correlationId", message.getHeader(JobHeaders.CORRELATION_ID, String.class));
        line.put("auditedAt", Instant.now().toString());
        line.set("payload", payload(body));
        // bytes here, not a String for the file component to encode: text that is not valid
        // Unicode fails now, before a line is half written, and the route dead-letters the copy
        byte[] json = JSON.writeValueAsBytes(line);
        byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
        withNewline[json.length] = '\n';
        message.setBody(withNewline);
    }

    private static JsonNode payload(byte[] body) {
        if (body == null) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(new String(body, StandardCharsets.UTF_8));
        }
    }
}
