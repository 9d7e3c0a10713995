package io.warren.intake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.warren.api.JobProperties;
import io.warren.http.ApiError;
import io.warren.http.RequestBody;
import io.warren.security.ApiGuard;
import io.warren.store.IdempotencyConflict;
import io.warren.store.JobRecord;
import io.warren.store.NewJobs;
import io.warren.types.JobTypes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Checks a job request (type, content type, a JSON object), stores the job (status
 * ACCEPTED) and turns the exchange into the message to publish: the posted bytes as body and only
 * warren's own headers; every client header is dropped here, so none reaches AMQP. A repeated
 * Idempotency-Key with the same request finds the first job instead; with another request, 409.
 */
public class JobIntake implements Processor {

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final Pattern SAFE_CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");
    private static final Pattern SAFE_IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private JobTypes jobTypes;
    private NewJobs newJobs;
    private JobSchemas schemas = new JobSchemas();
    private String producer = defaultProducer();
    private final String host = hostName();

    public void setJobTypes(JobTypes jobTypes) {
        this.jobTypes = jobTypes;
    }

    public void setSchemas(JobSchemas schemas) {
        this.schemas = schemas;
    }

    public void setNewJobs(NewJobs newJobs) {
        this.newJobs = newJobs;
    }

    public void setProducer(String producer) {
        if (producer != null && !producer.isBlank()) {
            this.producer = producer;
        }
    }

    @Override
    public void process(Exchange exchange) {
        Message in = exchange.getMessage();
        String type = typeOf(in);
        JsonBody.requireJson(in.getHeader(Exchange.CONTENT_TYPE, String.class));
        NewJobs.Inserted stored = accept(type, RequestBody.bytes(in), in.getHeader("X-Correlation-Id", String.class),
                in.getHeader("Idempotency-Key", String.class), ApiGuard.principalOf(exchange));
        exchange.setProperty(JobProperties.RECORD, stored.job());
        exchange.setProperty(JobProperties.STORED, stored);
        exchange.setProperty(JobProperties.EXISTING, stored.existing());
    }

    /**
     * Checks and stores a job, from a request or from a route (warren:submit): the type live and
     * open, the body a JSON object that passes the type's schema, a valid idempotency key. Throws
     * {@link ApiError} naming what is wrong. The insert may still be committing when this returns
     * (see {@link NewJobs.Inserted}): the publisher waits for it before the job counts as accepted.
     */
    public NewJobs.Inserted accept(String type, byte[] body, String correlationId, String idempotencyKey, String principal) {
        acceptingType(type);
        if (body == null || body.length == 0) {
            throw new ApiError(400, "empty_body", "The request body is empty; send a JSON object");
        }
        JsonBody.requireUtf8(body);
        JsonNode payload = payload(type, body);
        String key = idempotencyKey(idempotencyKey);
        JobRecord job = newJob(type, new String(body, StandardCharsets.UTF_8), correlationId, key,
                key == null ? null : requestHash(type, payload));
        try {
            return newJobs.insert(job, principal);
        } catch (IdempotencyConflict e) {
            throw new ApiError(409, "idempotency_conflict", "Idempotency-Key '" + printable(key)
                    + "' was already used for job " + e.jobId() + " with a different request");
        }
    }

    /** The type a request names, if it is valid, live and open; otherwise the 400, 404 or 503 to answer. */
    String acceptingType(String type) {
        if (!JobTypes.isValidName(type)) {
            throw new ApiError(400, "invalid_type", "A job type is 1 to 64 characters: a-z, 0-9 and '-', "
                    + "starting with a letter or digit");
        }
        if (!jobTypes.isKnown(type)) {
            throw new ApiError(404, "unknown_type", "Unknown job type '" + printable(type) + "'; known types: "
                    + String.join(", ", jobTypes.names()));
        }
        if (jobTypes.isDisabled(type)) {
            throw new ApiError(503, "type_disabled", "Job type '" + type + "' is disabled on this instance (fleet command "
                    + "DISABLE); send it elsewhere or retry after ENABLE", Map.of("Retry-After", "30"));
        }
        return type;
    }

    /** The body as a JSON object that passes the type's schema, or the 400 to answer. */
    JsonNode payload(String type, byte[] body) {
        JsonNode payload = JsonBody.requireObject(body);
        schemas.check(type, payload);
        return payload;
    }

    /** A new job stamped with id, time, producer, host and correlation id. */
    JobRecord newJob(String type, String payload, String correlationId, String idempotencyKey, String requestHash) {
        // microseconds: what both databases keep, so the answer and a later read agree
        Instant acceptedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return JobRecord.accepted(JobIds.next(acceptedAt.toEpochMilli()).toString(), type, payload,
                correlationId(correlationId), producer, host, idempotencyKey, requestHash, acceptedAt);
    }

    /** The type from the request path, not from a header a client could have sent. */
    static String typeOf(Message in) {
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        if (path == null) {
            path = in.getHeader(Exchange.HTTP_URI, String.class);
        }
        String type = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        int query = type.indexOf('?');
        return query >= 0 ? type.substring(0, query) : type;
    }

    private static String idempotencyKey(String given) {
        if (given == null) {
            return null;
        }
        if (!SAFE_IDEMPOTENCY_KEY.matcher(given).matches()) {
            throw new ApiError(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 printable ASCII characters");
        }
        return given;
    }

    /** Same type and same JSON (whatever the key order or spacing) give the same hash. */
    private static String requestHash(String type, JsonNode payload) {
        try {
            Object canonical = CANONICAL.treeToValue(payload, Object.class);
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((type + "\n" + CANONICAL.writeValueAsString(canonical)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String correlationId(String given) {
        return given != null && SAFE_CORRELATION_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    static String printable(String text) {
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
