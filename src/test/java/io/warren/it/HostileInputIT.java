package io.warren.it;

import static io.warren.it.TestWarren.NO_AUTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile requests, each answered with the right 4xx and a JSON error naming the problem, with
 * nothing published (a tap queue on every job key stays empty) and warren healthy afterwards.
 */
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READ_KEY = "wk_read-only-key-hostile-000001";
    private static final String EXPIRED_KEY = "wk_expired-key-hostile-00000001";
    private static WarrenProcess warren;
    private static Amqp amqp;
    private static String tap;

    @BeforeAll
    static void start() throws Exception {
        warren = WarrenProcess.create(List.of("echo.yaml"), Map.of("warren.security.api-keys",
                "test-admin:admin:" + io.warren.security.Secrets.sha256(TestWarren.ADMIN_KEY)
                        + ",dash:read:" + io.warren.security.Secrets.sha256(READ_KEY)));
        java.nio.file.Files.writeString(warren.data().resolve("credentials"),
                "key old submit sha256:" + io.warren.security.Secrets.sha256(EXPIRED_KEY) + " expires=2020-01-01T00:00:00Z\n");
        warren.launch();
        warren.awaitReady();
        amqp = new Amqp(TestBroker.url());
        tap = warren.prefix() + ".tap";
        amqp.tap(tap, warren.jobsExchange(), "echo", null);
        // a request idempotency key used once, for the replay-with-another-body case
        assertEquals(202, warren.post("echo", "{\"first\": true}", "Idempotency-Key", "hostile-1").statusCode());
        Await.until("first job tapped", Duration.ofSeconds(10), () -> amqp.get(tap) != null);
    }

    @AfterAll
    static void stop() throws Exception {
        amqp.deleteQueue(tap);
        amqp.close();
        warren.close();
    }

    static Stream<Arguments> requests() {
        String deep = "[".repeat(200) + "]".repeat(200);
        return Stream.of(
                // malformed and truncated JSON
                Arguments.of("truncated object", "POST", "/api/v1/jobs/echo", "{\"a\": 1", json(), 400, "malformed_json"),
                Arguments.of("truncated string", "POST", "/api/v1/jobs/echo", "{\"a\": \"b", json(), 400, "malformed_json"),
                Arguments.of("single quotes", "POST", "/api/v1/jobs/echo", "{'a': 1}", json(), 400, "malformed_json"),
                Arguments.of("trailing comma", "POST", "/api/v1/jobs/echo", "{\"a\": 1,}", json(), 400, "malformed_json"),
                Arguments.of("comment", "POST", "/api/v1/jobs/echo", "{/* x */ \"a\": 1}", json(), 400, "malformed_json"),
                Arguments.of("NaN", "POST", "/api/v1/jobs/echo", "{\"a\": NaN}", json(), 400, "malformed_json"),
                Arguments.of("two documents", "POST", "/api/v1/jobs/echo", "{} {}", json(), 400, "malformed_json"),
                Arguments.of("array", "POST", "/api/v1/jobs/echo", "[{}]", json(), 400, "not_an_object"),
                Arguments.of("null", "POST", "/api/v1/jobs/echo", "null", json(), 400, "not_an_object"),
                Arguments.of("number", "POST", "/api/v1/jobs/echo", "42", json(), 400, "not_an_object"),
                Arguments.of("empty body", "POST", "/api/v1/jobs/echo", "", json(), 400, "empty_body"),
                Arguments.of("whitespace body", "POST", "/api/v1/jobs/echo", "   ", json(), 400, "not_an_object"),
                // limits
                Arguments.of("huge number", "POST", "/api/v1/jobs/echo", "{\"n\": " + "9".repeat(5000) + "}", json(), 400, "malformed_json"),
                Arguments.of("deep nesting", "POST", "/api/v1/jobs/echo", "{\"a\": " + deep + "}", json(), 400, "malformed_json"),
                Arguments.of("duplicate keys", "POST", "/api/v1/jobs/echo", "{\"a\": 1, \"a\": 2}", json(), 400, "malformed_json"),
                Arguments.of("oversize body", "POST", "/api/v1/jobs/echo", "{\"a\": \"" + "x".repeat(1_100_000) + "\"}", json(), 413, "body_too_large"),
                Arguments.of("bad UTF-8", "POST", "/api/v1/jobs/echo", "{\"a\": \"\u00ff\"}", Map.of("Content-Type", "application/json", "X-Raw-Latin1", "1"), 400, "invalid_utf8"),
                // content types
                Arguments.of("text/plain", "POST", "/api/v1/jobs/echo", "{}", Map.of("Content-Type", "text/plain"), 415, "unsupported_media_type"),
                Arguments.of("no content type", "POST", "/api/v1/jobs/echo", "{}", Map.of("Content-Type", ""), 415, "unsupported_media_type"),
                Arguments.of("form", "POST", "/api/v1/jobs/echo", "a=1", Map.of("Content-Type", "application/x-www-form-urlencoded"), 415, "unsupported_media_type"),
                Arguments.of("latin-1 charset", "POST", "/api/v1/jobs/echo", "{}", Map.of("Content-Type", "application/json; charset=ISO-8859-1"), 415, "unsupported_charset"),
                Arguments.of("json lookalike", "POST", "/api/v1/jobs/echo", "{}", Map.of("Content-Type", "application/jsonp"), 415, "unsupported_media_type"),
                // type names that must never reach a routing key or a queue name
                Arguments.of("type with dot", "POST", "/api/v1/jobs/echo.x", "{}", json(), 400, "invalid_type"),
                Arguments.of("type with hash", "POST", "/api/v1/jobs/echo%23", "{}", json(), 400, "invalid_type"),
                Arguments.of("type with star", "POST", "/api/v1/jobs/*", "{}", json(), 400, "invalid_type"),
                Arguments.of("type dot-dot", "POST", "/api/v1/jobs/..", "{}", json(), 404, "not_found"),
                Arguments.of("type upper case", "POST", "/api/v1/jobs/ECHO", "{}", json(), 400, "invalid_type"),
                Arguments.of("type too long", "POST", "/api/v1/jobs/" + "a".repeat(65), "{}", json(), 400, "invalid_type"),
                Arguments.of("type with space", "POST", "/api/v1/jobs/ec%20ho", "{}", json(), 400, "invalid_type"),
                Arguments.of("unknown type", "POST", "/api/v1/jobs/nope", "{}", json(), 404, "unknown_type"),
                // headers
                Arguments.of("very long header", "POST", "/api/v1/jobs/echo", "{}", Map.of("Content-Type", "application/json", "X-Junk", "j".repeat(20_000)), 431, null),
                Arguments.of("bad idempotency key", "POST", "/api/v1/jobs/echo", "{}", Map.of("Content-Type", "application/json", "Idempotency-Key", "k".repeat(300)), 400, "invalid_idempotency_key"),
                Arguments.of("idempotency replay, other body", "POST", "/api/v1/jobs/echo", "{\"first\": false}", Map.of("Content-Type", "application/json", "Idempotency-Key", "hostile-1"), 409, "idempotency_conflict"),
                // credentials
                Arguments.of("no credential", "POST", "/api/v1/jobs/echo", "{}", Map.of("Content-Type", "application/json", NO_AUTH, "x"), 401, "unauthorized"),
                Arguments.of("invalid key", "POST", "/api/v1/jobs/echo", "{}", Map.of("Content-Type", "application/json", "Authorization", "Bearer wk_nope"), 401, "unauthorized"),
                Arguments.of("expired key", "POST", "/api/v1/jobs/echo", "{}", Map.of("Content-Type", "application/json", "X-API-Key", EXPIRED_KEY), 401, "unauthorized"),
                Arguments.of("empty bearer", "POST", "/api/v1/jobs/echo", "{}", Map.of("Content-Type", "application/json", "Authorization", "Bearer "), 401, "unauthorized"),
                Arguments.of("wrong role", "POST", "/api/v1/jobs/echo", "{}", Map.of("Content-Type", "application/json", "Authorization", "Bearer " + READ_KEY), 403, "forbidden"),
                Arguments.of("spoofed principal", "POST", "/api/v1/jobs/echo", "{}", Map.of("Content-Type", "application/json", NO_AUTH, "x", "X-Warren-Principal", "admin"), 401, "unauthorized"),
                // methods and paths
                Arguments.of("PUT", "PUT", "/api/v1/jobs/echo", "{}", json(), 405, "method_not_allowed"),
                Arguments.of("no such path", "GET", "/api/v2/jobs", null, Map.of(), 404, "not_found"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void isRefusedClearlyAndPublishesNothing(String name, String method, String path, String body,
                                             Map<String, String> headers, int status, String code) throws Exception {
        long storedBefore = storedJobs();
        HttpResponse<String> response = headers.containsKey("X-Raw-Latin1")
                ? latin1(path, body)
                : warren.send(method, path, body, flatten(headers));

        assertEquals(status, response.statusCode(), name + ": " + response.body());
        if (code != null) {
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), name);
            JsonNode error = JSON.readTree(response.body()).get("error");
            assertEquals(code, error.get("code").asText(), name + ": " + response.body());
            assertFalse(error.get("message").asText().isBlank());
        }
        assertNull(amqp.get(tap), name + ": something was published");
        // the tap hears the echo key only; a job published under any other key was stored first
        assertEquals(storedBefore, storedJobs(), name + ": a job was stored");
        assertEquals(200, warren.get("/observe/health").statusCode(), name + ": warren unhealthy afterwards");
    }

    @org.junit.jupiter.api.Test
    void headIsGetWithoutABody() throws Exception {
        HttpResponse<String> head = warren.send("HEAD", "/api/v1/types", null);
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals(200, warren.send("HEAD", "/observe/health", null).statusCode());
        assertEquals(401, warren.send("HEAD", "/api/v1/types", null, NO_AUTH, "x").statusCode(), "still guarded");
    }

    @org.junit.jupiter.api.Test
    void aTransferCodingOtherThanChunkedIsRefusedNotReadAsPlain() throws Exception {
        long storedBefore = storedJobs();
        String body = "{\"a\": 1}";
        String request = "POST /api/v1/jobs/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestWarren.ADMIN_KEY
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
        String response;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", URI.create(warren.url("/")).getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.ByteArrayOutputStream read = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            for (int n; !read.toString(java.nio.charset.StandardCharsets.UTF_8).contains("}}") && (n = socket.getInputStream().read(buffer)) > 0; ) {
                read.write(buffer, 0, n);
            }
            response = read.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(response.startsWith("HTTP/1.1 501"), response);
        assertTrue(response.contains("\"unsupported_transfer_encoding\""), response);
        assertNull(amqp.get(tap), "nothing published");
        assertEquals(storedBefore, storedJobs(), "nothing stored");
    }

    /** Every job in the store, whatever its type or status. */
    private static long storedJobs() throws Exception {
        long total = 0;
        for (JsonNode byStatus : JSON.readTree(warren.get("/api/v1/stats").body()).get("jobsByTypeAndStatus")) {
            for (JsonNode count : byStatus) {
                total += count.asLong();
            }
        }
        return total;
    }

    private static Map<String, String> json() {
        return Map.of("Content-Type", "application/json");
    }

    private static String[] flatten(Map<String, String> headers) {
        return headers.entrySet().stream().flatMap(e -> Stream.of(e.getKey(), e.getValue())).toArray(String[]::new);
    }

    /** Sends the body encoded as ISO-8859-1 bytes, which are not valid UTF-8. */
    private static HttpResponse<String> latin1(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(warren.url(path))).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestWarren.ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
                .build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
