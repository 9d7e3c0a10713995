package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Queue and broker admin for warren's own queues; destructive calls need a confirmation. */
class QueueAdminIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void depthsBrokerCheckAndConfirmedPurgeAndDelete() throws Exception {
        try (InProcessWarren warren = InProcessWarren.start(List.of("probe.yaml"), Map.of());
             Amqp amqp = new Amqp(TestBroker.url())) {
            String work = warren.workQueue("probe");
            assertEquals(200, warren.send("POST", "/api/v1/types/probe/pause", null).statusCode());
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> accepted = warren.post("probe", "{}");
                assertEquals(202, accepted.statusCode());
                ids.add(JSON.readTree(accepted.body()).get("jobId").asText());
            }
            Await.until("3 ready", Duration.ofSeconds(10), () -> amqp.depth(work) == 3);

            JsonNode queues = JSON.readTree(warren.get("/api/v1/queues").body()).get("queues");
            List<String> kinds = new java.util.ArrayList<>();
            queues.forEach(queue -> kinds.add(queue.get("kind").asText()));
            // probe.yaml: back-off 100, 200, 400 ms, one retry queue each
            assertEquals(List.of("work", "dead", "retry", "retry", "retry", "audit"), kinds, queues.toString());
            JsonNode one = JSON.readTree(warren.get("/api/v1/queues/" + work).body());
            assertEquals(3, one.get("ready").asInt(), one.toString());
            assertTrue(one.get("source").asText().equals("management") || one.get("source").asText().equals("passive-declare"));
            assertEquals(404, warren.get("/api/v1/queues/some.other.queue").statusCode(), "only warren's queues");

            JsonNode broker = JSON.readTree(warren.get("/api/v1/broker").body());
            assertTrue(broker.get("reachable").asBoolean());
            assertEquals("RabbitMQ", broker.get("product").asText());
            assertTrue(broker.get("roundTripMillis").asDouble() >= 0);

            HttpResponse<String> unconfirmed = warren.send("POST", "/api/v1/queues/" + work + "/purge", null);
            assertEquals(400, unconfirmed.statusCode());
            assertEquals("confirmation_required", JSON.readTree(unconfirmed.body()).get("error").get("code").asText());
            assertEquals(3, amqp.depth(work), "nothing purged without confirmation");
            HttpResponse<String> purged = warren.send("POST", "/api/v1/queues/" + work + "/purge?confirm=" + work, null);
            assertEquals(3, JSON.readTree(purged.body()).get("purged").asInt(), purged.body());
            assertEquals(0, amqp.depth(work));
            assertTrue(warren.log().contains("Queue " + work + " purged by test-admin: 3 messages removed"), "logged with who");
            for (String id : ids) {
                // recorded, not left QUEUED for ever
                assertEquals("DISCARDED", JSON.readTree(warren.get("/api/v1/jobs/" + id).body()).get("status").asText());
                assertTrue(warren.get("/api/v1/jobs/" + id + "/history").body().contains("PURGED"));
            }

            String dead = warren.deadQueue("probe");
            assertEquals(400, warren.send("DELETE", "/api/v1/queues/" + dead, null).statusCode());
            assertEquals(200, warren.send("DELETE", "/api/v1/queues/" + dead + "?confirm=" + dead, null).statusCode());
            assertEquals(false, JSON.readTree(warren.get("/api/v1/queues/" + dead).body()).get("exists").asBoolean());
        }
    }
}
