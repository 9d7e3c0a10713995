package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.GetResponse;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same flows on the embedded development broker (Qpid Broker-J in warren's process, on a free
 * port; no RabbitMQ involved): fan-out to work and audit, retries, the dead-letter channel, and a
 * queued job surviving a kill -9 of warren and its broker.
 */
class EmbeddedBrokerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jobsFlowRetryDeadLetterAndSurviveARestart() throws Exception {
        int port = WarrenProcess.freePort();
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml", "echo.yaml"), Map.of(
                "warren.broker", "embedded",
                "warren.broker.embedded-port", String.valueOf(port)))) {
            assertTrue(warren.log().contains("EMBEDDED DEVELOPMENT BROKER"), "says so loudly");
            assertTrue(warren.get("/observe/health").body().contains("EMBEDDED DEVELOPMENT BROKER"), "and in the health check");

            // accept -> process -> audit
            String echo = accept(warren, "echo", "{\"hello\": \"qpid\"}");
            Await.until("echo processed", Duration.ofSeconds(20), () -> warren.log().contains("echo job " + echo));
            Await.until("audited", Duration.ofSeconds(20), () -> Files.exists(warren.data().resolve("audit.jsonl"))
                    && Files.readString(warren.data().resolve("audit.jsonl")).contains(echo));

            // fail -> retries -> dead letter, with its reason, in the dead-letter queue
            String dead = accept(warren, "probe", "{\"failAttempts\": 99}");
            Await.until("dead", Duration.ofSeconds(30), () -> "DEAD".equals(status(warren, dead)));
            assertEquals(4, ProbeLog.read(warren.data()).count("START", dead));
            try (Amqp qpid = new Amqp("amqp://guest:guest@127.0.0.1:" + port + "/")) {
                GetResponse letter = qpid.get(warren.deadQueue("probe"));
                assertEquals(dead, letter.getProps().getMessageId());
                assertEquals("4", letter.getProps().getHeaders().get("warren-attempts").toString());
            }

            // a job in the broker survives a kill -9 of warren (and so of its broker)
            String queued = accept(warren, "probe", "{\"sleepMillis\": 4000}");
            Await.until("started", Duration.ofSeconds(20), () -> ProbeLog.read(warren.data()).count("START", queued) == 1);
            warren.kill9();
            warren.restart();
            Await.until("redelivered and done", Duration.ofSeconds(60),
                    () -> ProbeLog.read(warren.data()).count("DONE", queued) == 1);
            Await.until("recorded SUCCEEDED", Duration.ofSeconds(10), () -> "SUCCEEDED".equals(status(warren, queued)));
        }
    }

    private static String accept(WarrenProcess warren, String type, String json) throws Exception {
        HttpResponse<String> response = warren.post(type, json);
        assertEquals(202, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("jobId").asText();
    }

    private static String status(WarrenProcess warren, String id) throws Exception {
        return JSON.readTree(warren.get("/api/v1/jobs/" + id).body()).get("status").asText();
    }
}
