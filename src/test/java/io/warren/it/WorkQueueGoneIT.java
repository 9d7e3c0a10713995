package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/**
 * A work queue deleted behind warren's back (management UI, another client) while warren runs or
 * while it is stopped, or emptied of jobs the broker had confirmed: every job answered 202 still
 * runs. Broker: {@link TestBroker}; the queue is deleted or purged with a raw AMQP client. warren's
 * own API refuses to delete a queue in use.
 */
class WorkQueueGoneIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> FAST = Map.of(
            "warren.topology.check-period-millis", "500",
            "warren.outbox.relay-after-millis", "1000",
            "warren.outbox.relay-period-millis", "200");

    @Test
    void deletedUnderARunningWarrenEveryAcceptedJobStillRuns() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(List.of("echo.yaml"), FAST);
             Amqp amqp = new Amqp(TestBroker.url())) {
            String work = warren.workQueue("echo");
            HttpResponse<String> refused = warren.send("DELETE", "/api/v1/queues/" + work + "?confirm=" + work, null);
            assertEquals(409, refused.statusCode(), refused.body());
            assertEquals("queue_in_use", JSON.readTree(refused.body()).get("error").get("code").asText());
            assertEquals(0, amqp.depth(work), "the queue is still there");

            assertEquals(200, warren.send("POST", "/api/v1/types/echo/pause", null).statusCode());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ids.add(accepted(warren.post("echo", "{\"before\": " + i + "}")));
            }
            Await.until("3 jobs Ready", Duration.ofSeconds(10), () -> amqp.depth(work) == 3);
            amqp.deleteQueue(work); // the three jobs in it are gone from the broker
            for (int i = 0; i < 3; i++) {
                // into no work queue (only the audit copy is routed), or into the queue declared again
                ids.add(accepted(warren.post("echo", "{\"after\": " + i + "}")));
            }
            Await.until("queue declared again", Duration.ofSeconds(10), () -> exists(amqp, work));
            assertEquals(200, warren.send("POST", "/api/v1/types/echo/resume", null).statusCode());

            for (String id : ids) {
                Await.until(id + " SUCCEEDED", Duration.ofSeconds(30), () -> "SUCCEEDED".equals(status(warren, id)));
            }
            assertTrue(warren.log().contains("Work queue " + work + " of job type 'echo' was gone"), "logged");
            JsonNode type = JSON.readTree(warren.get("/api/v1/types").body()).get("types").get(0);
            assertEquals("OK", type.get("queue").asText(), type.toString());
            JsonNode history = JSON.readTree(warren.get("/api/v1/jobs/" + ids.get(0) + "/history").body());
            assertTrue(history.toString().contains("REQUEUED"), history.toString());
        }
    }

    /** What a cluster losing a queue leader once did (docs/scaling.md), played by a raw purge. */
    @Test
    void confirmedJobsMissingFromAQueueThatIsThereRunAfterAll() throws Exception {
        Map<String, String> settings = new HashMap<>(FAST);
        settings.put("warren.topology.missing-after-seconds", "2");
        try (WarrenProcess warren = WarrenProcess.start(List.of("echo.yaml"), settings);
             Amqp amqp = new Amqp(TestBroker.url())) {
            String work = warren.workQueue("echo");
            assertEquals(200, warren.send("POST", "/api/v1/types/echo/pause", null).statusCode());
            List<String> ids = List.of(accepted(warren.post("echo", "{\"n\": 1}")), accepted(warren.post("echo", "{\"n\": 2}")));
            Await.until("2 jobs Ready", Duration.ofSeconds(10), () -> amqp.depth(work) == 2);
            // waiting in their queue longer than missing-after is no loss: nothing is published again
            Thread.sleep(4000);
            assertEquals(2, amqp.depth(work));
            assertFalse(warren.log().contains("but are not in work queue"), "jobs waiting in their queue are not taken as lost");

            amqp.purge(work); // the broker confirmed them, and they are not there
            Await.until("both published again", Duration.ofSeconds(20), () -> amqp.depth(work) == 2);
            assertTrue(warren.log().contains("2 job(s) of type 'echo' were confirmed by the broker over 2 s ago but are not in work queue"),
                    "logged");
            assertEquals(200, warren.send("POST", "/api/v1/types/echo/resume", null).statusCode());
            for (String id : ids) {
                Await.until(id + " SUCCEEDED", Duration.ofSeconds(30), () -> "SUCCEEDED".equals(status(warren, id)));
                assertTrue(warren.get("/api/v1/jobs/" + id + "/history").body().contains("REQUEUED"));
            }
        }
    }

    @Test
    void deletedWhileWarrenWasStoppedItsJobsRunAfterRestart() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(List.of("echo.yaml"), FAST);
             Amqp amqp = new Amqp(TestBroker.url())) {
            String work = warren.workQueue("echo");
            assertEquals(200, warren.send("POST", "/api/v1/types/echo/pause", null).statusCode());
            String id = accepted(warren.post("echo", "{\"n\": 1}"));
            Await.until("job Ready", Duration.ofSeconds(10), () -> amqp.depth(work) == 1);
            warren.sigterm();
            warren.awaitExit(Duration.ofSeconds(60));
            amqp.deleteQueue(work);

            warren.restart();
            // the pause outlived the restart; the job is back in the declared-again queue, waiting
            assertEquals(200, warren.send("POST", "/api/v1/types/echo/resume", null).statusCode());
            Await.until(id + " SUCCEEDED", Duration.ofSeconds(30), () -> "SUCCEEDED".equals(status(warren, id)));
        }
    }

    private static String accepted(HttpResponse<String> response) throws Exception {
        assertEquals(202, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("jobId").asText();
    }

    private static String status(WarrenProcess warren, String id) throws Exception {
        return JSON.readTree(warren.get("/api/v1/jobs/" + id).body()).path("status").asText();
    }

    private static boolean exists(Amqp amqp, String queue) {
        try {
            amqp.depth(queue);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
