package io.warren.component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.api.JobRejected;
import io.warren.api.RouteHeaders;
import io.warren.http.ApiError;
import io.warren.http.RequestBody;
import io.warren.store.Futures;
import io.warren.store.NewJobs;
import java.util.Map;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code to: warren:submit:<type>}: submits the message body as a job of that type, exactly as
 * {@code POST /api/v1/jobs/<type>} would: the same checks, stored, published persistent and
 * confirmed (or kept for the outbox relay), idempotent on header {@value RouteHeaders#IDEMPOTENCY_KEY},
 * counted. The body is JSON text or bytes, or a Map or Jackson tree (written as JSON). Afterwards the
 * exchange carries the job id in {@value RouteHeaders#JOB_ID}; the body is left as it was. A refusal
 * is logged, counted and thrown as {@link JobRejected}.
 */
public class SubmitEndpoint extends DefaultEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(SubmitEndpoint.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String type;
    private final SubmitParts parts;

    SubmitEndpoint(String uri, Component component, String type, SubmitParts parts) {
        super(uri, component);
        this.type = type;
        this.parts = parts;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) throws Exception {
                submit(exchange);
            }
        };
    }

    private void submit(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        String by = "route:" + exchange.getFromRouteId();
        NewJobs.Inserted stored;
        try {
            stored = parts.intake().accept(type, json(message),
                    message.getHeader(RouteHeaders.CORRELATION_ID, String.class),
                    message.getHeader(RouteHeaders.IDEMPOTENCY_KEY, String.class), by);
        } catch (ApiError e) {
            parts.metrics().submitRejected(type, e.code());
            LOG.warn("Route {} submitted a job of type '{}' that was rejected ({}): {}", exchange.getFromRouteId(), type,
                    e.code(), e.getMessage());
            throw new JobRejected(type, e.status(), e.code(), e.getMessage());
        }
        if (!stored.existing()) {
            Futures.join(parts.publisher().accept(stored), Exception.class); // the route goes on once the job is accepted
        }
        message.setHeader(RouteHeaders.JOB_ID, stored.job().id());
        message.setHeader(RouteHeaders.EXISTING, stored.existing());
    }

    /** The body as JSON bytes: a Map or tree is written as JSON, anything else converted by Camel (text, stream, file). */
    private static byte[] json(Message message) throws Exception {
        Object body = message.getBody();
        if (body instanceof Map<?, ?> || body instanceof JsonNode) {
            return JSON.writeValueAsBytes(body);
        }
        byte[] bytes = RequestBody.bytes(message);
        if (body != null && bytes == null) {
            throw new ApiError(400, "invalid_body", "warren:submit takes JSON as text, bytes, a stream, a file, "
                    + "a Map or a JSON tree, not " + body.getClass().getName());
        }
        return bytes;
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("warren:submit is for to:; a job type's route starts from warren:work:" + type);
    }
}
