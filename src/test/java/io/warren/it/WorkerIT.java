package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Workers against a real broker: retries with back-off, dead letters with their reason, poison. */
class WorkerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static InProcessWarren warren;
    private static Amqp amqp;

    @BeforeAll
    static void start() throws Exception {
        warren = InProcessWarren.start(List.of("probe.yaml"), Map.of());
        amqp = new Amqp(TestBroker.url());
    }

    @AfterAll
    static void stop() throws Exception {
        amqp.close();
        warren.close();
    }

    @Test
    void failingJobIsRetriedWithGrowingBackOffThenSucceeds() throws Exception {
        String jobId = accept("{\"failAttempts\": 2}");

        Await.until("job done", Duration.ofSeconds(20), () -> probe().count("DONE", jobId) == 1);
        ProbeLog log = probe();
        assertEquals(2, log.count("FAIL", jobId));
        List<Long> starts = log.starts(jobId);
        assertEquals(3, starts.size());
        long firstGap = starts.get(1) - starts.get(0);
        long secondGap = starts.get(2) - starts.get(1);
        // probe.yaml: initial delay 100 ms, multiplier 2
        assertTrue(firstGap >= 100, "first retry waited " + firstGap + " ms");
        assertTrue(secondGap >= 200, "second retry waited " + secondGap + " ms");
        // lower bounds only: with 100 ms then x2, a second gap of 200 ms or more is the growth (a
        // slow machine may stretch either gap, so "second > first" would flake)
        Acked.all(warren, amqp, "probe");
        assertTrue(amqp.drain(warren.deadQueue("probe")).stream().noneMatch(r -> jobId.equals(r.getProps().getMessageId())),
                "not dead-lettered");
    }

    @Test
    void exhaustedJobIsDeadLetteredWithWhyItFailed() throws Exception {
        String jobId = accept("{\"failAttempts\": 99, \"order\": 7}");

        GetResponse dead = awaitDeadLetter(jobId);
        Map<String, Object> headers = dead.getProps().getHeaders();
        assertEquals("java.lang.IllegalStateException", headers.get("warren-error-class").toString());
        assertEquals("probe fails attempt 4", headers.get("warren-error-message").toString());
        String stack = headers.get("warren-error-stack").toString();
        assertTrue(stack.contains("RecordingHandler"), stack);
        assertTrue(stack.length() <= 4100, "stack is bounded: " + stack.length());
        assertEquals(4, ((Number) headers.get("warren-attempts")).intValue(), "1 attempt + 3 retries");
        Instant.parse(headers.get("warren-failed-at").toString());
        assertEquals(warren.workQueue("probe"), headers.get("warren-source-queue").toString());
        assertEquals("work-probe", headers.get("warren-route").toString());
        assertEquals("probe", headers.get("warren-type").toString(), "job metadata kept");
        assertEquals(2, dead.getProps().getDeliveryMode());
        assertEquals(jobId, dead.getProps().getMessageId());
        assertEquals(7, JSON.readTree(dead.getBody()).get("order").asInt(), "original body kept");
        assertEquals(4, probe().count("START", jobId));
        Acked.all(warren, amqp, "probe");
    }

    @Test
    void permanentFailureSkipsRedelivery() throws Exception {
        String jobId = accept("{\"permanent\": true}");

        GetResponse dead = awaitDeadLetter(jobId);
        assertEquals("io.warren.api.PermanentJobFailure", dead.getProps().getHeaders().get("warren-error-class").toString());
        assertEquals(1, ((Number) dead.getProps().getHeaders().get("warren-attempts")).intValue());
        assertEquals(1, probe().count("START", jobId));
    }

    @Test
    void poisonFromARawClientIsDeadLetteredAndTheWorkerCarriesOn() throws Exception {
        // not JSON, no warren headers, asks for a reply: as any client could publish it
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().messageId("poison-1").replyTo("nowhere").build();
        amqp.publish(warren.jobsExchange(), "probe", props, "\u0000not json at all");
        amqp.publish(warren.jobsExchange(), "probe", new AMQP.BasicProperties.Builder().messageId("poison-2").build(), "[1,2]");

        GetResponse first = awaitDeadLetter("poison-1");
        assertEquals("io.warren.api.PermanentJobFailure", first.getProps().getHeaders().get("warren-error-class").toString());
        assertTrue(first.getProps().getHeaders().get("warren-error-message").toString().startsWith("Job body is not JSON"));
        assertEquals(1, ((Number) first.getProps().getHeaders().get("warren-attempts")).intValue());
        GetResponse second = awaitDeadLetter("poison-2");
        assertEquals("Job body is not a JSON object", second.getProps().getHeaders().get("warren-error-message").toString());

        // valid JSON from a raw client with no message id at all: nothing to record, and nothing breaks
        amqp.publish(warren.jobsExchange(), "probe", new AMQP.BasicProperties.Builder().build(), "{\"anonymous\": true}");

        String jobId = accept("{}");
        Await.until("a good job after the poison", Duration.ofSeconds(20), () -> probe().count("DONE", jobId) == 1);
        Acked.all(warren, amqp, "probe");
    }

    @Test
    void queuesAreDurableAndWorkQueuesDeadLetterOnTheirOwn() throws Exception {
        Map<String, Object> workArgs = Map.of("x-dead-letter-exchange", warren.deadExchange(), "x-dead-letter-routing-key", "probe");
        // re-declaring with identical arguments is accepted; any difference is refused
        assertNull(amqp.declare(warren.workQueue("probe"), true, workArgs));
        assertNotNull(amqp.declare(warren.workQueue("probe"), false, workArgs), "work queue is durable");
        assertNotNull(amqp.declare(warren.workQueue("probe"), true, null), "work queue carries its dead-letter arguments");
        assertNull(amqp.declare(warren.auditQueue(), true, null));
        assertNull(amqp.declare(warren.deadQueue("probe"), true, null));
        assertNotNull(amqp.declare(warren.deadQueue("probe"), false, null), "dead-letter queue is durable");
    }

    @Test
    void aDeadLetterTheBrokerRefusesStillReachesTheDeadLetterQueueAndTheRecord() throws Exception {
        // a queue on the dead-letter exchange that refuses everything: the dead-letter publish is nacked
        String refusing = warren.prefix() + ".dead-refusing";
        amqp.refusing(refusing, warren.deadExchange(), "probe");
        String jobId;
        try {
            jobId = accept("{\"permanent\": true}");
            Await.until("recorded DEAD", Duration.ofSeconds(30), () -> "DEAD".equals(
                    JSON.readTree(warren.get("/api/v1/jobs/" + jobId).body()).path("status").asText()));
            // in the dead-letter queue all the same: the rejected delivery, moved there by the work
            // queue's x-dead-letter-exchange (a nack from one queue may also leave warren's own copy
            // in the others: then there are two copies, and one record)
            assertEquals(jobId, awaitDeadLetter(jobId).getProps().getMessageId());
        } finally {
            amqp.deleteQueue(refusing);
        }
        JsonNode job = JSON.readTree(warren.get("/api/v1/jobs/" + jobId).body());
        assertEquals("io.warren.api.PermanentJobFailure", job.get("lastError").get("class").asText(), job.toString());
        assertTrue(warren.log().contains("The dead letter of job " + jobId + " was not taken by the broker"));
        Acked.all(warren, amqp, "probe");
    }

    private static String accept(String json) throws Exception {
        var response = warren.post("probe", json);
        assertEquals(202, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("jobId").asText();
    }

    private static ProbeLog probe() throws Exception {
        return ProbeLog.read(warren.data());
    }

    /** Takes dead letters until the one with this message id; others go back for their own test. */
    private static GetResponse awaitDeadLetter(String messageId) throws Exception {
        GetResponse[] found = new GetResponse[1];
        Await.until("dead letter " + messageId, Duration.ofSeconds(30), () -> {
            for (GetResponse r : amqp.drain(warren.deadQueue("probe"))) {
                if (messageId.equals(r.getProps().getMessageId())) {
                    found[0] = r;
                } else {
                    amqp.publish(warren.deadExchange(), "probe", r.getProps(), new String(r.getBody(), StandardCharsets.UTF_8));
                }
            }
            return found[0] != null;
        });
        return found[0];
    }
}
