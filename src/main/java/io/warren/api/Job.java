package io.warren.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One job as a processor sees it: the JSON object posted to the intake and the metadata warren
 * stamped on it. {@code attempt} counts from 1 and grows with each redelivery.
 */
public record Job(String id, String type, ObjectNode payload, String correlationId, String producer,
                  Instant acceptedAt, int attempt) {
}
