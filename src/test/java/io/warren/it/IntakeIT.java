package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.GetResponse;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The intake against a real broker: what a client gets back, and what reaches the broker. */
class IntakeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static InProcessWarren warren;
    private static Amqp amqp;
    private static String tap;

    @BeforeAll
    static void start() throws Exception {
        warren = InProcessWarren.start(List.of("echo.yaml", "probe.yaml"), Map.of(
                "warren.outbox.relay-after-millis", "1000", "warren.outbox.relay-period-millis", "200"));
        amqp = new Amqp(TestBroker.url());
        // a queue of the test's own bound with the echo key: it gets a copy of each echo job
        tap = warren.prefix() + ".tap";
        amqp.tap(tap, warren.jobsExchange(), "echo", null);
    }

    @AfterAll
    static void stop() throws Exception {
        amqp.deleteQueue(tap);
        amqp.close();
        warren.close();
    }

    @Test
    void acceptedJobIsConfirmedStampedAndFannedOutToWorkAndAudit() throws Exception {
        HttpResponse<String> response = warren.post("echo", "{\"n\": 1}",
                "X-Correlation-Id", "order-42", "X-Secret-Client-Header", "leak?", "type", "flaky");

        assertEquals(202, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        String jobId = body.get("jobId").asText();
        assertEquals("echo", body.get("type").asText());
        assertEquals("ACCEPTED", body.get("status").asText());
        java.time.Instant.parse(body.get("acceptedAt").asText());
        assertEquals("/api/v1/jobs/" + jobId, response.headers().firstValue("Location").orElseThrow());
        assertEquals("order-42", response.headers().firstValue("X-Correlation-Id").orElseThrow());
        assertTrue(response.headers().firstValue("X-Secret-Client-Header").isEmpty(), "request header echoed back");

        GetResponse copy = awaitMessage(tap);
        var props = copy.getProps();
        assertEquals(jobId, props.getMessageId());
        assertEquals("application/json", props.getContentType());
        assertEquals(2, props.getDeliveryMode());
        assertNotNull(props.getTimestamp());
        assertEquals("order-42", props.getCorrelationId());
        Map<String, Object> headers = props.getHeaders();
        assertEquals("echo", headers.get("warren-type").toString());
        assertEquals("order-42", headers.get("warren-correlation-id").toString());
        String host = java.net.InetAddress.getLocalHost().getHostName();
        assertEquals(host, headers.get("warren-host").toString());
        assertTrue(headers.get("warren-producer").toString().endsWith("@" + host), headers.get("warren-producer").toString());
        assertTrue(headers.keySet().stream().allMatch(h -> h.startsWith("warren-")), "only warren's headers: " + headers.keySet());
        assertEquals("{\"n\": 1}", new String(copy.getBody(), StandardCharsets.UTF_8));

        // the audit copy becomes a line of the audit log; the work copy is processed
        Await.until("audit line for " + jobId, Duration.ofSeconds(20), () -> auditLog().contains(jobId));
        JsonNode line = JSON.readTree(auditLog().lines().filter(l -> l.contains(jobId)).findFirst().orElseThrow());
        assertEquals("echo", line.get("type").asText());
        assertEquals(1, line.get("payload").get("n").asInt());
        assertEquals("order-42", line.get("correlationId").asText());
        Await.until("echo job processed", Duration.ofSeconds(20), () -> warren.log().contains("echo job " + jobId));
        Acked.all(warren, amqp, "echo");
    }

    @Test
    void correlationIdIsGeneratedWhenAbsentOrUnsafe() throws Exception {
        HttpResponse<String> response = warren.post("echo", "{}", "X-Correlation-Id", "bad id\twith spaces");
        assertEquals(202, response.statusCode());
        String generated = response.headers().firstValue("X-Correlation-Id").orElseThrow();
        assertTrue(generated.matches("[0-9a-f-]{36}"), generated);
        assertEquals(generated, awaitMessage(tap).getProps().getCorrelationId());
    }

    @Test
    void badRequestsGetJsonErrorsAndPublishNothing() throws Exception {
        assertError(warren.post("echo", "{\"a\": "), 400, "malformed_json");
        assertError(warren.post("echo", "{\"a\": 1} {\"b\": 2}"), 400, "malformed_json");
        assertError(warren.post("echo", "[1, 2]"), 400, "not_an_object");
        assertError(warren.post("echo", "\"text\""), 400, "not_an_object");
        assertError(warren.post("echo", ""), 400, "empty_body");
        assertError(warren.post("echo", "{}", "Content-Type", "text/plain"), 415, "unsupported_media_type");
        assertError(warren.post("echo", "{}", "Content-Type", "application/json; charset=ISO-8859-1"), 415, "unsupported_charset");
        assertError(warren.send("PUT", "/api/v1/jobs/echo", "{}"), 405, "method_not_allowed");
        assertError(warren.send("DELETE", "/api/v1/jobs/echo", null), 405, "method_not_allowed");
        assertError(warren.post("echo", "{\"big\": \"" + "x".repeat(1024 * 1024) + "\"}"), 413, "body_too_large");
        assertError(warren.get("/no/such/path"), 404, "not_found");
        // inputs that would change meaning down the line (issue 12): refused, never forwarded
        assertError(warren.post("echo", "{\"a\": \"\\ud800\"}"), 400, "invalid_unicode");
        assertError(warren.post("echo", "{\"a\\udc00\": 1}"), 400, "invalid_unicode");
        assertError(warren.post("echo", "{\"n\": 1e999999999}"), 400, "number_out_of_range");
        assertError(warren.post("echo", "{\"n\": -1e999}"), 400, "number_out_of_range");
        assertError(warren.post("echo", "{\"n\": 1e-999}"), 400, "number_out_of_range");
        assertError(warren.post("echo", "\uFEFF{\"a\": 1}"), 400, "byte_order_mark");

        HttpResponse<String> unknown = warren.post("nope", "{}");
        assertError(unknown, 404, "unknown_type");
        assertTrue(unknown.body().contains("echo") && unknown.body().contains("probe"), "lists the known types: " + unknown.body());

        // a probe job after the bad ones: the tap holds nothing of the rejected requests
        assertEquals(202, warren.post("echo", "{\"marker\": true}").statusCode());
        GetResponse next = awaitMessage(tap);
        assertEquals("{\"marker\": true}", new String(next.getBody(), StandardCharsets.UTF_8));
        assertNull(amqp.get(tap));
    }

    @Test
    void surrogatePairsAndLargeFiniteNumbersPassUnchanged() throws Exception {
        String body = "{\"emoji\": \"\\ud83d\\ude00\", \"n\": 1.5e300, \"i\": 123456789012345678901234567890}";
        assertEquals(202, warren.post("echo", body).statusCode());
        assertEquals(body, new String(awaitMessage(tap).getBody(), StandardCharsets.UTF_8), "the posted bytes, as posted");
    }

    @Test
    void aBrokerNackIsNotLostAndDoesNotRunTwice() throws Exception {
        // a second queue on the probe key that refuses every message: the broker nacks the publish,
        // though the work queue took its copy. warren cannot know that: it keeps the job for the
        // outbox relay and still answers 202; the job runs once.
        String refusing = warren.prefix() + ".refusing";
        amqp.refusing(refusing, warren.jobsExchange(), "probe");
        String jobId;
        try {
            HttpResponse<String> response = warren.post("probe", "{}");
            assertEquals(202, response.statusCode(), response.body());
            jobId = JSON.readTree(response.body()).get("jobId").asText();
            Await.until("nack logged", Duration.ofSeconds(10),
                    () -> warren.log().contains("Broker did not take job " + jobId));
        } finally {
            amqp.deleteQueue(refusing);
        }
        Await.until("run", Duration.ofSeconds(30), () -> "SUCCEEDED".equals(status(jobId)));
        assertEquals(1, ProbeLog.read(warren.data()).count("START", jobId));
    }

    private static String status(String jobId) throws Exception {
        return JSON.readTree(warren.get("/api/v1/jobs/" + jobId).body()).get("status").asText();
    }

    private static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertEquals(code, error.get("code").asText(), response.body());
        assertFalse(error.get("message").asText().isBlank());
    }

    private static GetResponse awaitMessage(String queue) throws Exception {
        GetResponse[] got = new GetResponse[1];
        Await.until("a message in " + queue, Duration.ofSeconds(10), () -> (got[0] = amqp.get(queue)) != null);
        return got[0];
    }

    private static String auditLog() throws Exception {
        var file = warren.data().resolve("audit.jsonl");
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
