package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * warren.intake.answer-after=commit (the default with the outbox on): a job is answered 202 once
 * it is stored, its commit on disk, its publish still in flight. Broker: the test broker (TestBroker), through a proxy where the test needs to hang it.
 */
class AnswerAfterCommitIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The broker takes the bytes and never confirms (a hung broker): each request is still answered
     * (with answer-after=confirm it would wait the ten-minute confirm timeout: the @Timeout fails
     * it). warren is then killed before any confirm or relay: every job runs once after the restart.
     * answer-after is left unset: with the outbox on, commit is the default.
     */
    @Test
    @Timeout(180)
    void aJobIsAnsweredBeforeItsConfirmAndSurvivesKillNine() throws Exception {
        try (CuttableProxy proxy = CuttableProxy.forBroker()) {
            Map<String, String> settings = new HashMap<>(Map.of(
                    "warren.rabbitmq.url", proxy.brokerUrl(),
                    "warren.rabbitmq.confirm-timeout-millis", "600000",
                    "warren.outbox.relay-after-millis", "5000",
                    "warren.outbox.relay-period-millis", "500"));
            try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), settings)) {
                assertTrue(warren.log().contains("A new job is answered 202 once it is stored, its commit on disk"), warren.log());
                // the broker hangs once warren runs: its publishing channels are open (a channel
                // opened while it hangs would wait for the broker's answer, whatever the mode)
                for (int i = 0; i < 8; i++) {
                    assertEquals(202, warren.post("probe", "{}").statusCode());
                }
                proxy.stall();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> response = warren.post("probe", "{\"n\": " + i + "}");
                    assertEquals(202, response.statusCode(), response.body());
                    ids.add(JSON.readTree(response.body()).get("jobId").asText());
                }
                HttpResponse<String> batch = warren.post("probe/batch", "[{\"n\": 10}, {\"n\": 11}]");
                JsonNode answer = JSON.readTree(batch.body());
                assertEquals(2, answer.get("accepted").asInt(), batch.body());
                answer.get("results").forEach(item -> ids.add(item.get("jobId").asText()));
                for (String id : ids) {
                    assertEquals("ACCEPTED", status(warren, id), "stored, not confirmed: " + id);
                }
                warren.kill9();
                proxy.cut(); // what the hung connections held is dropped, never reaches the broker
                proxy.restore();

                warren.restart();
                for (String id : ids) {
                    Await.until(id + " relayed and run", Duration.ofSeconds(60), () -> "SUCCEEDED".equals(status(warren, id)));
                    assertEquals(1, ProbeLog.read(warren.data()).count("START", id), "run once: " + id);
                }
                // logged once its confirm came, on the publishing connection: it may come after the job ran
                Await.until("published by the relay", Duration.ofSeconds(20),
                        () -> warren.log().contains("Outbox relay published job " + ids.get(0)));
            }
        }
    }

    /** With a broker that answers, every job is published at once, not by the relay, and runs once. */
    @Test
    void jobsAnsweredOnCommitArePublishedAndRunOnce() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of(
                "warren.intake.answer-after", "commit",
                "warren.outbox.relay-after-millis", "600000"))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = warren.post("probe", "{\"n\": " + i + "}");
                assertEquals(202, response.statusCode(), response.body());
                String id = JSON.readTree(response.body()).get("jobId").asText();
                assertEquals(200, warren.get("/api/v1/jobs/" + id).statusCode(), "found right after its 202");
                ids.add(id);
            }
            JsonNode batch = JSON.readTree(warren.post("probe/batch", "[{}, {}, {}, {}, {}]").body());
            batch.get("results").forEach(item -> ids.add(item.get("jobId").asText()));
            for (String id : ids) {
                Await.until(id + " run", Duration.ofSeconds(30), () -> "SUCCEEDED".equals(status(warren, id)));
                assertEquals(1, ProbeLog.read(warren.data()).count("START", id), "run once: " + id);
                assertTrue(warren.get("/api/v1/jobs/" + id + "/history").body().contains("PUBLISHED"), "published: " + id);
            }
            assertTrue(!warren.log().contains("Outbox relay published"), "nothing left to the relay");
        }
    }

    @Test
    void answerAfterCommitWithoutTheOutboxDoesNotStart() throws Exception {
        try (WarrenProcess warren = WarrenProcess.create(List.of("probe.yaml"), Map.of(
                "warren.intake.answer-after", "commit",
                "warren.outbox.enabled", "false"))) {
            warren.launch();
            assertTrue(warren.awaitExit(Duration.ofSeconds(60)) != 0, "exit status");
            assertTrue(warren.log().contains("warren.intake.answer-after=commit needs warren.outbox.enabled=true"), warren.log());
        }
    }

    private static String status(WarrenProcess warren, String id) throws Exception {
        return JSON.readTree(warren.get("/api/v1/jobs/" + id).body()).get("status").asText();
    }
}
