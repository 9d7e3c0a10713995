package io.warren.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One job as a handler sees it: the JSON object posted to the intake and the metadata warren
 * stamped on it. {@link #attempt()} counts from 1. A handler may leave a short result summary with
 * {@link #result(String)}; it is stored with the job (up to 4,000 characters) and shown by the status API.
 */
public final class Job {

    private final String id;
    private final String type;
    private final ObjectNode payload;
    private final String correlationId;
    private final String producer;
    private final Instant acceptedAt;
    private final int attempt;
    private volatile String result;

    public Job(String id, String type, ObjectNode payload, String correlationId, String producer, Instant acceptedAt,
               int attempt) {
        this.id = id;
        this.type = type;
        this.payload = payload;
        this.correlationId = correlationId;
        this.producer = producer;
        this.acceptedAt = acceptedAt;
        this.attempt = attempt;
    }

    public String id() {
        return id;
    }

    public String type() {
        return type;
    }

    public ObjectNode payload() {
        return payload;
    }

    public String correlationId() {
        return correlationId;
    }

    public String producer() {
        return producer;
    }

    public Instant acceptedAt() {
        return acceptedAt;
    }

    public int attempt() {
        return attempt;
    }

    public void result(String summary) {
        this.result = summary;
    }

    public String result() {
        return result;
    }
}
