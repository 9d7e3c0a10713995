package io.warren.intake;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.http.ApiError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** A request body as the intake takes it: UTF-8 JSON under limits a hostile body cannot get past. */
final class JsonBody {

    /** Limits a hostile body cannot get past: nesting, string and number length, duplicate keys. */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxNumberLength(100)
                    .maxStringLength(1_000_000)
                    .maxNameLength(1_000)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // exact, so that a number a double cannot carry is seen (1e999999 is not Infinity)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private JsonBody() {
    }

    static void requireJson(String contentType) {
        String media = contentType == null ? "" : contentType.split(";", 2)[0].trim();
        if (!media.equalsIgnoreCase("application/json")) {
            throw new ApiError(415, "unsupported_media_type",
                    "Content-Type must be application/json, got '" + JobIntake.printable(contentType == null ? "none" : contentType) + "'");
        }
        String lower = contentType.toLowerCase();
        int charset = lower.indexOf("charset=");
        if (charset >= 0 && !lower.substring(charset + 8).trim().replace("\"", "").startsWith("utf-8")) {
            throw new ApiError(415, "unsupported_charset", "Only UTF-8 JSON is accepted");
        }
    }

    /** JSON under the intake's limits (depth, lengths, unique keys, nothing after it), or the 400. */
    static JsonNode readStrict(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            PayloadRules.check(node);
            return node;
        } catch (JacksonException e) {
            throw new ApiError(400, "malformed_json", "The body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiError(400, "malformed_json", "The body could not be read as JSON");
        }
    }

    static JsonNode requireObject(byte[] body) {
        JsonNode node = readStrict(body);
        if (node == null || !node.isObject()) {
            throw new ApiError(400, "not_an_object", "The body must be a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase()));
        }
        return node;
    }

    /** UTF-8 text without a byte order mark (RFC 8259 8.1: JSON text must not begin with one). */
    static void requireUtf8(byte[] body) {
        if (body.length >= 3 && body[0] == (byte) 0xEF && body[1] == (byte) 0xBB && body[2] == (byte) 0xBF) {
            throw new ApiError(400, "byte_order_mark", "The body starts with a UTF-8 byte order mark; send the JSON without it");
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new ApiError(400, "invalid_utf8", "The body is not valid UTF-8");
        }
    }
}
