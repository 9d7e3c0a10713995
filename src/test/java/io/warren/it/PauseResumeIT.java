package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Seed 001's "consumer offline" test, on demand: jobs wait Ready while a type is paused, all run
 * once after; the audit consumer pauses the same way.
 */
class PauseResumeIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pausedTypeQueuesJobsAndResumingRunsEachOnce() throws Exception {
        try (InProcessWarren warren = InProcessWarren.start(List.of("probe.yaml", "echo.yaml"), Map.of());
             Amqp amqp = new Amqp(TestBroker.url())) {
            HttpResponse<String> paused = warren.send("POST", "/api/v1/types/probe/pause", null);
            assertEquals(200, paused.statusCode(), paused.body());
            assertEquals("PAUSED", JSON.readTree(paused.body()).get("workers").asText());

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                HttpResponse<String> accepted = warren.post("probe", "{\"i\": " + i + "}");
                assertEquals(202, accepted.statusCode());
                ids.add(JSON.readTree(accepted.body()).get("jobId").asText());
            }
            Await.until("25 Ready in the work queue", Duration.ofSeconds(20), () -> amqp.depth(warren.workQueue("probe")) == 25);
            assertEquals(0, ProbeLog.read(warren.data()).count("START"), "nothing ran while paused");
            assertEquals(200, warren.get("/observe/health/ready").statusCode(), "a paused type does not make warren unready");
            JsonNode types = JSON.readTree(warren.get("/api/v1/types").body());
            assertEquals("[{\"type\":\"echo\",\"route\":\"work-echo\",\"workers\":\"RUNNING\",\"queue\":\"OK\",\"queueError\":null},"
                    + "{\"type\":\"probe\",\"route\":\"work-probe\",\"workers\":\"PAUSED\",\"queue\":\"OK\",\"queueError\":null}]",
                    types.get("types").toString());

            HttpResponse<String> resumed = warren.send("POST", "/api/v1/types/probe/resume", null);
            assertEquals("RUNNING", JSON.readTree(resumed.body()).get("workers").asText());
            Await.until("all 25 done", Duration.ofSeconds(60), () -> ProbeLog.read(warren.data()).count("DONE") == 25);
            ProbeLog log = ProbeLog.read(warren.data());
            for (String id : ids) {
                assertEquals(1, log.count("START", id), "lost 0, duplicated 0: " + id);
            }
            assertEquals(404, warren.send("POST", "/api/v1/types/nope/pause", null).statusCode());
            assertEquals(405, warren.send("GET", "/api/v1/types/probe/pause", null).statusCode());
        }
    }

    /** A pause is kept in the job store: an edit of the type's file and a restart leave the type paused. */
    @Test
    void aPauseSurvivesAReloadAndARestart() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of());
             Amqp amqp = new Amqp(TestBroker.url())) {
            assertEquals(200, warren.send("POST", "/api/v1/types/probe/pause", null).statusCode());
            String held = JSON.readTree(warren.post("probe", "{}").body()).get("jobId").asText();

            java.nio.file.Path file = warren.routes().resolve("probe.yaml");
            java.nio.file.Files.writeString(file, java.nio.file.Files.readString(file) + "\n# edited\n");
            Await.until("reloaded", Duration.ofSeconds(20), () -> warren.log().split("Job type file probe.yaml loaded", -1).length == 3);
            warren.sigterm();
            warren.awaitExit(Duration.ofSeconds(40));
            warren.restart();
            Await.until("live again", Duration.ofSeconds(30), () -> warren.log().contains("Job type 'probe' is live but paused"));
            assertEquals("PAUSED", JSON.readTree(warren.get("/api/v1/types").body()).get("types").get(0).get("workers").asText());
            assertEquals(1, amqp.depth(warren.workQueue("probe")), "the job waits");
            assertEquals(0, amqp.consumers(warren.workQueue("probe")), "no consumer while paused");
            assertEquals(0, ProbeLog.read(warren.data()).count("START", held));

            assertEquals("RUNNING", JSON.readTree(warren.send("POST", "/api/v1/types/probe/resume", null).body())
                    .get("workers").asText());
            Await.until("held job runs", Duration.ofSeconds(20), () -> ProbeLog.read(warren.data()).count("DONE", held) == 1);
        }
    }

    @Test
    void pausedAuditConsumerLeavesTheCopiesInTheAuditQueueUntilResumed() throws Exception {
        try (InProcessWarren warren = InProcessWarren.start(List.of("probe.yaml"), Map.of());
             Amqp amqp = new Amqp(TestBroker.url())) {
            Await.until("audit consumer up", Duration.ofSeconds(20), () -> amqp.consumers(warren.auditQueue()) == 1);
            HttpResponse<String> paused = warren.send("POST", "/api/v1/audit/pause", null);
            assertEquals(200, paused.statusCode(), paused.body());
            assertEquals("PAUSED", JSON.readTree(paused.body()).get("consumer").asText());
            for (int i = 0; i < 10; i++) {
                assertEquals(202, warren.post("probe", "{\"i\": " + i + "}").statusCode());
            }
            Await.until("10 audit copies Ready", Duration.ofSeconds(20), () -> amqp.depth(warren.auditQueue()) == 10);
            Await.until("the jobs themselves ran", Duration.ofSeconds(30), () -> ProbeLog.read(warren.data()).count("DONE") == 10);

            HttpResponse<String> resumed = warren.send("POST", "/api/v1/audit/resume", null);
            assertEquals("RUNNING", JSON.readTree(resumed.body()).get("consumer").asText());
            Path audit = warren.data().resolve("audit.jsonl");
            Await.until("10 audit lines", Duration.ofSeconds(30),
                    () -> Files.exists(audit) && Files.readAllLines(audit).size() == 10);
            // acked, not just delivered: paused again, the consumer's channel is closed, so an unacked
            // copy would be Ready again
            assertEquals(200, warren.send("POST", "/api/v1/audit/pause", null).statusCode());
            assertEquals(0, amqp.depth(warren.auditQueue()));
            assertEquals(200, warren.send("POST", "/api/v1/audit/resume", null).statusCode());
            assertEquals(405, warren.send("GET", "/api/v1/audit/pause", null).statusCode());
            assertEquals(401, warren.send("POST", "/api/v1/audit/pause", null, TestWarren.NO_AUTH, "").statusCode());
        }
    }
}
