package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The audit consumer never drops a copy: text the intake would refuse (a raw client's lone
 * surrogate) is still written, escaped; a line that cannot be written at all goes to the audit
 * dead-letter queue with its reason. Broker: {@link TestBroker}.
 */
class AuditIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aCopyIsWrittenOrKeptWithWhyNeverDropped() throws Exception {
        try (InProcessWarren warren = InProcessWarren.start(List.of("echo.yaml"), Map.of());
             Amqp amqp = new Amqp(TestBroker.url())) {
            Path audit = warren.data().resolve("audit.jsonl");
            // published by another client, past the intake's checks: a lone surrogate
            amqp.publish(warren.jobsExchange(), "echo", new AMQP.BasicProperties.Builder().messageId("raw-1").build(),
                    "{\"a\": \"\\ud800\"}");
            Await.until("raw-1 written", Duration.ofSeconds(20), () -> Files.exists(audit) && Files.readString(audit).contains("raw-1"));
            JsonNode line = JSON.readTree(Files.readString(audit).lines().filter(l -> l.contains("raw-1")).findFirst().orElseThrow());
            assertEquals("\ud800", line.get("payload").get("a").asText(), "kept, escaped as \\ud800 in the file");

            // the audit file cannot be written any more: a folder stands where it was
            Files.delete(audit);
            Files.createDirectory(audit);
            String jobId = JSON.readTree(warren.post("echo", "{\"n\": 1}").body()).get("jobId").asText();
            String dead = warren.auditQueue() + ".dead";
            GetResponse[] kept = new GetResponse[1];
            Await.until("copy in " + dead, Duration.ofSeconds(20), () -> (kept[0] = amqp.get(dead)) != null);
            assertEquals(jobId, kept[0].getProps().getMessageId());
            assertEquals("{\"n\": 1}", new String(kept[0].getBody(), java.nio.charset.StandardCharsets.UTF_8));
            assertTrue(String.valueOf(kept[0].getProps().getHeaders().get("warren-error-class")).contains("Exception"),
                    kept[0].getProps().getHeaders().toString());
            assertEquals(0, amqp.depth(warren.auditQueue()), "acked once kept");
            assertTrue(warren.log().contains("Audit copy of job " + jobId + " could not be written"));
        }
    }

    /** warren.queue.version: the audit queue and a classic type's queues declared as classic queues of that version. */
    @Test
    void theQueueVersionSettingReachesWarrensClassicQueues() throws Exception {
        try (InProcessWarren warren = InProcessWarren.start(List.of("echo.yaml"), Map.of("warren.queue.version", "2"));
             Amqp amqp = new Amqp(TestBroker.url())) {
            Map<String, Object> v2 = Map.of("x-queue-version", 2);
            assertNull(amqp.declare(warren.auditQueue(), true, v2), "the audit queue is of version 2");
            assertNull(amqp.declare(warren.auditQueue() + ".dead", true, v2), "and its dead queue");
            assertNull(amqp.declare(warren.deadQueue("echo"), true, v2), "and the type's dead-letter queue");
            assertNull(amqp.declare(warren.workQueue("echo"), true, Map.of("x-queue-version", 2,
                    "x-dead-letter-exchange", warren.deadExchange(), "x-dead-letter-routing-key", "echo")), "and its work queue");
            assertNull(amqp.declare(warren.workQueue("echo") + ".retry.1000ms", true, Map.of("x-queue-version", 2,
                    "x-message-ttl", 1000L, "x-dead-letter-exchange", "", "x-dead-letter-routing-key", warren.workQueue("echo"))),
                    "and its first retry queue");
            String jobId = JSON.readTree(warren.post("echo", "{\"n\": 2}").body()).get("jobId").asText();
            Path audit = warren.data().resolve("audit.jsonl");
            Await.until("job " + jobId + " audited", Duration.ofSeconds(20),
                    () -> Files.exists(audit) && Files.readString(audit).contains(jobId));
        }
    }
}
