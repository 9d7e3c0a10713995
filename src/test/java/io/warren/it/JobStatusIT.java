package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import io.warren.security.Secrets;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The job store seen through the status API: status, history, listing, idempotency, duplicates. */
class JobStatusIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OTHER_KEY = "wk_other-client-key-000000001";
    private static InProcessWarren warren;
    private static Amqp amqp;

    @BeforeAll
    static void start() throws Exception {
        warren = InProcessWarren.start(List.of("probe.yaml", "echo.yaml"), Map.of("warren.security.api-keys",
                "test-admin:admin:" + Secrets.sha256(TestWarren.ADMIN_KEY) + ",other:submit+read:" + Secrets.sha256(OTHER_KEY)));
        amqp = new Amqp(TestBroker.url());
    }

    @AfterAll
    static void stop() throws Exception {
        amqp.close();
        warren.close();
    }

    /** The API's route takes the prefix /api/v1: a path glued to it must not pass for another with a weaker role. */
    @Test
    void aPathGluedToTheApiPrefixIsNoSuchEndpoint() throws Exception {
        String bearer = "Bearer " + OTHER_KEY;
        for (String path : List.of("/api/v1dead-letters", "/api/v1dead-letters/x", "/api/v1jobs", "/api/v1types")) {
            HttpResponse<String> response = warren.send("GET", path, null, "Authorization", bearer);
            assertEquals(404, response.statusCode(), path + ": " + response.body());
            assertTrue(response.body().contains("\"not_found\""), response.body());
        }
        assertEquals(403, warren.send("GET", "/api/v1/dead-letters", null, "Authorization", bearer).statusCode(), "admin only");
    }

    @Test
    void aJobThatSucceedsAfterRetriesShowsItsStatusAndTimeline() throws Exception {
        String id = accept("probe", "{\"failAttempts\": 1}", "X-Correlation-Id", "c-77");
        Await.until("succeeded", Duration.ofSeconds(20), () -> "SUCCEEDED".equals(job(id).get("status").asText()));

        JsonNode job = job(id);
        assertEquals("probe", job.get("type").asText());
        assertEquals(2, job.get("attempts").asInt());
        assertEquals("c-77", job.get("correlationId").asText());
        for (String field : List.of("acceptedAt", "publishedAt", "startedAt", "finishedAt")) {
            Instant.parse(job.get(field).asText());
        }
        assertEquals("java.lang.IllegalStateException", job.get("lastError").get("class").asText());
        assertEquals("probe fails attempt 1", job.get("lastError").get("message").asText());

        List<String> timeline = new ArrayList<>();
        for (JsonNode event : history(id).get("events")) {
            timeline.add(event.get("event").asText() + (event.has("attempt") ? " " + event.get("attempt").asInt() : ""));
        }
        // causal, though the worker may take the job before the intake has recorded the broker's confirm
        assertEquals(List.of("ACCEPTED", "PUBLISHED", "ATTEMPT_STARTED 1", "ATTEMPT_FAILED 1", "ATTEMPT_STARTED 2", "SUCCEEDED 2"),
                timeline);
    }

    @Test
    void aDeadJobKeepsWhyAndHowOften() throws Exception {
        String id = accept("probe", "{\"failAttempts\": 99}");
        Await.until("dead", Duration.ofSeconds(30), () -> "DEAD".equals(job(id).get("status").asText()));
        JsonNode job = job(id);
        assertEquals(4, job.get("attempts").asInt());
        assertEquals("probe fails attempt 4", job.get("lastError").get("message").asText());
        JsonNode events = history(id).get("events");
        assertEquals("DEAD_LETTERED", events.get(events.size() - 1).get("event").asText());
    }

    @Test
    void aRedeliveryAfterSuccessIsNotRunAgainAndTheStatusStays() throws Exception {
        String id = accept("probe", "{}");
        Await.until("succeeded", Duration.ofSeconds(20), () -> "SUCCEEDED".equals(job(id).get("status").asText()));

        // the same job arrives again, as a redelivery or a second publish would bring it
        amqp.publish(warren.jobsExchange(), "probe", new AMQP.BasicProperties.Builder().messageId(id).build(), "{}");
        Await.until("duplicate seen", Duration.ofSeconds(20), () -> history(id).toString().contains("DUPLICATE_SUPPRESSED"));

        assertEquals(1, ProbeLog.read(warren.data()).count("START", id), "the handler ran once");
        assertEquals("SUCCEEDED", job(id).get("status").asText());
        assertEquals(0, amqp.depth(warren.workQueue("probe")), "the duplicate was acked");
        assertTrue(warren.get("/observe/metrics").body().contains("warren_jobs_duplicates_suppressed_total{type=\"probe\"}"),
                "duplicates are counted");
    }

    @Test
    void concurrentRequestsWithOneIdempotencyKeyMakeOneJob() throws Exception {
        String key = "race-" + System.nanoTime();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<HttpResponse<String>>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                sent.add(pool.submit(() -> warren.post("echo", "{\"race\": true}", "Idempotency-Key", key)));
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (var response : sent) {
                HttpResponse<String> answer = response.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(202, answer.statusCode(), answer.body());
                ids.add(JSON.readTree(answer.body()).get("jobId").asText());
            }
            assertEquals(1, ids.size(), "one job for one key: " + ids);
            String id = ids.iterator().next();
            Await.until("echo done", Duration.ofSeconds(20), () -> warren.log().contains("echo job " + id));
            assertEquals(1, warren.log().split("echo job " + id, -1).length - 1, "run once");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void idempotencyKeyReturnsTheFirstJobOrAConflict() throws Exception {
        String key = "order-" + System.nanoTime();
        HttpResponse<String> first = warren.post("echo", "{\"a\": 1, \"b\": [1, 2]}", "Idempotency-Key", key);
        assertEquals(202, first.statusCode());
        String id = JSON.readTree(first.body()).get("jobId").asText();

        // same key, same JSON (other spacing and key order): the first job, nothing published again
        HttpResponse<String> again = warren.post("echo", "{ \"b\": [1,2], \"a\": 1 }", "Idempotency-Key", key);
        assertEquals(202, again.statusCode());
        assertEquals(id, JSON.readTree(again.body()).get("jobId").asText());
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElseThrow());

        HttpResponse<String> conflict = warren.post("echo", "{\"a\": 2}", "Idempotency-Key", key);
        assertEquals(409, conflict.statusCode());
        assertEquals("idempotency_conflict", JSON.readTree(conflict.body()).get("error").get("code").asText());
        assertEquals(400, warren.post("echo", "{}", "Idempotency-Key", "bad key with spaces").statusCode());

        // the key is the first client's own: another credential with the same key is another request
        String bearer = "Bearer " + OTHER_KEY;
        HttpResponse<String> other = warren.post("echo", "{\"a\": 1, \"b\": [1, 2]}", "Idempotency-Key", key, "Authorization", bearer);
        assertEquals(202, other.statusCode(), other.body());
        String otherId = JSON.readTree(other.body()).get("jobId").asText();
        assertFalse(otherId.equals(id), "not the first client's job");
        assertTrue(other.headers().firstValue("Idempotent-Replayed").isEmpty());
        HttpResponse<String> otherAgain = warren.post("echo", "{\"a\": 1, \"b\": [1, 2]}", "Idempotency-Key", key, "Authorization", bearer);
        assertEquals(otherId, JSON.readTree(otherAgain.body()).get("jobId").asText());
        HttpResponse<String> otherConflict = warren.post("echo", "{\"a\": 3}", "Idempotency-Key", key, "Authorization", bearer);
        assertEquals(409, otherConflict.statusCode());
        assertTrue(otherConflict.body().contains(otherId) && !otherConflict.body().contains(id), otherConflict.body());
        Await.until("other's echo done", Duration.ofSeconds(20), () -> warren.log().contains("echo job " + otherId));

        Await.until("echo done", Duration.ofSeconds(20), () -> warren.log().contains("echo job " + id));
        long published = history(id).findValues("event").stream().filter(e -> e.asText().equals("PUBLISHED")).count();
        assertEquals(1, published);
        assertEquals(1, warren.log().split("echo job " + id, -1).length - 1, "processed once");
    }

    @Test
    void listingIsNewestFirstFilteredAndPaged() throws Exception {
        Instant since = Instant.now();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(accept("echo", "{\"i\": " + i + "}"));
        }
        JsonNode page1 = JSON.readTree(warren.get("/api/v1/jobs?type=echo&since=" + since + "&limit=3").body());
        assertEquals(List.of(ids.get(4), ids.get(3), ids.get(2)), idsOf(page1));
        String cursor = page1.get("nextCursor").asText();
        JsonNode page2 = JSON.readTree(warren.get("/api/v1/jobs?type=echo&since=" + since + "&limit=3&cursor=" + cursor).body());
        assertEquals(List.of(ids.get(1), ids.get(0)), idsOf(page2));
        assertTrue(page2.get("nextCursor").isNull());

        Await.until("all done", Duration.ofSeconds(20), () -> ids.stream().allMatch(id -> {
            try {
                return "SUCCEEDED".equals(job(id).get("status").asText());
            } catch (Exception e) {
                return false;
            }
        }));
        JsonNode succeeded = JSON.readTree(warren.get("/api/v1/jobs?status=succeeded&type=echo&since=" + since).body());
        assertEquals(5, succeeded.get("jobs").size());
        assertEquals(0, JSON.readTree(warren.get("/api/v1/jobs?status=DEAD&type=echo&since=" + since).body()).get("jobs").size());

        assertEquals(400, warren.get("/api/v1/jobs?status=LOST").statusCode());
        assertEquals(400, warren.get("/api/v1/jobs?limit=100000").statusCode());
        assertEquals(400, warren.get("/api/v1/jobs?since=yesterday").statusCode());
        assertEquals(400, warren.get("/api/v1/jobs?cursor=x'--").statusCode());
        assertEquals(404, warren.get("/api/v1/jobs/01a20000-0000-7000-8000-000000000000").statusCode());
        assertEquals(404, warren.get("/api/v1/jobs/not-a-job-id").statusCode());
        assertEquals(404, warren.get("/api/v1/jobs/01a20000-0000-7000-8000-000000000000/history").statusCode());
    }

    private static List<String> idsOf(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("jobs").forEach(j -> ids.add(j.get("jobId").asText()));
        return ids;
    }

    private static String accept(String type, String json, String... headers) throws Exception {
        HttpResponse<String> response = warren.post(type, json, headers);
        assertEquals(202, response.statusCode(), response.body());
        String id = JSON.readTree(response.body()).get("jobId").asText();
        assertNotNull(id);
        return id;
    }

    private static JsonNode job(String id) throws Exception {
        HttpResponse<String> response = warren.get("/api/v1/jobs/" + id);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static JsonNode history(String id) throws Exception {
        return JSON.readTree(warren.get("/api/v1/jobs/" + id + "/history").body());
    }
}
