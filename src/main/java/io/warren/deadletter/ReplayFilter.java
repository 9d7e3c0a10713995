package io.warren.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import io.warren.http.ApiError;
import io.warren.http.KnownFields;
import io.warren.types.JobTypes;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * The body of POST /api/v1/dead-letters/replay, read strictly: a bulk replay runs jobs for real, so
 * a typo must not widen it. Unknown fields, wrong types and out-of-range values are a 400; a filter
 * that narrows nothing (no type, exception or since) needs an explicit {@code "all": true}.
 */
record ReplayFilter(String type, String exception, Instant since, int limit, boolean dryRun) {

    static final int MAX_LIMIT = 1000;
    private static final Set<String> FIELDS = Set.of("type", "exception", "since", "limit", "dryRun", "all");

    static ReplayFilter parse(JsonNode body) {
        KnownFields.require(body, FIELDS, "the replay filter");
        String type = text(body, "type");
        if (type != null && !JobTypes.isValidName(type)) {
            throw invalid("invalid_type", "type must be a job type name (a-z, 0-9 and '-')");
        }
        String exception = text(body, "exception");
        Instant since = null;
        String sinceText = text(body, "since");
        if (sinceText != null) {
            try {
                since = Instant.parse(sinceText);
            } catch (DateTimeParseException e) {
                throw invalid("invalid_since", "since must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
            }
        }
        int limit = 100;
        if (body.has("limit")) {
            JsonNode given = body.get("limit");
            if (!given.isIntegralNumber() || !given.canConvertToInt() || given.intValue() < 1 || given.intValue() > MAX_LIMIT) {
                throw invalid("invalid_limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
            }
            limit = given.intValue();
        }
        boolean dryRun = flag(body, "dryRun");
        boolean all = flag(body, "all");
        if (type == null && exception == null && since == null && !all) {
            throw invalid("filter_required", "Name what to replay (type, exception, since), or send \"all\": true to replay "
                    + "every dead job (up to limit)");
        }
        return new ReplayFilter(type, exception, since, limit, dryRun);
    }

    private static String text(JsonNode body, String field) {
        if (!body.has(field) || body.get(field).isNull()) {
            return null;
        }
        if (!body.get(field).isTextual() || body.get(field).textValue().isBlank()) {
            throw invalid("invalid_" + field, field + " must be a non-empty string");
        }
        return body.get(field).textValue();
    }

    private static boolean flag(JsonNode body, String field) {
        if (!body.has(field)) {
            return false;
        }
        if (!body.get(field).isBoolean()) {
            throw invalid("invalid_" + field, field + " must be true or false, not " + body.get(field));
        }
        return body.get(field).booleanValue();
    }

    private static ApiError invalid(String code, String message) {
        return new ApiError(400, code, message);
    }
}
