package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.GetResponse;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The transactional outbox: stored first, published when the broker takes it, even after a crash. */
class OutboxIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void warrenKilledBetweenStoringAndPublishingPublishesOnRestart() throws Exception {
        try (CuttableProxy proxy = CuttableProxy.forBroker()) {
            try (WarrenProcess warren = viaProxy(proxy, Map.of(
                    "warren.outbox.relay-after-millis", "2000",
                    "warren.outbox.relay-period-millis", "500"))) {
                // the broker is gone: jobs are stored, not published
                proxy.cut();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> response = warren.post("probe", "{\"n\": " + i + "}");
                    assertEquals(202, response.statusCode(), response.body());
                    ids.add(JSON.readTree(response.body()).get("jobId").asText());
                }
                // warren dies before it could publish them
                warren.kill9();
                proxy.restore();

                warren.restart();
                Await.until("relayed after restart and run", Duration.ofSeconds(60), () -> {
                    ProbeLog log = ProbeLog.read(warren.data());
                    return ids.stream().allMatch(id -> log.count("DONE", id) == 1);
                });
                // the relay logs once the confirm is back, which can be after the worker ran the job
                Await.until("the relay published them", Duration.ofSeconds(10),
                        () -> warren.log().contains("Outbox relay published job " + ids.get(0)));
                for (String id : ids) {
                    Await.until("recorded SUCCEEDED", Duration.ofSeconds(10), () -> "SUCCEEDED".equals(
                            JSON.readTree(warren.get("/api/v1/jobs/" + id).body()).get("status").asText()));
                }
            }
        }
    }

    @Test
    void withTheOutboxOffABrokerOutageIsA503AndNothingIsStored() throws Exception {
        try (CuttableProxy proxy = CuttableProxy.forBroker()) {
            try (WarrenProcess warren = viaProxy(proxy, Map.of("warren.outbox.enabled", "false"))) {
                proxy.cut();
                HttpResponse<String> refused = warren.post("probe", "{}");
                assertEquals(503, refused.statusCode(), refused.body());
                assertEquals("broker_unavailable", JSON.readTree(refused.body()).get("error").get("code").asText());
                assertEquals("5", refused.headers().firstValue("Retry-After").orElseThrow());
                assertEquals(0, JSON.readTree(warren.get("/api/v1/jobs").body()).get("jobs").size(), "nothing stored");

                proxy.restore();
                Await.until("accepted again", Duration.ofSeconds(30), () -> warren.post("probe", "{}").statusCode() == 202);
            }
        }
    }

    @Test
    void withTheOutboxOffABrokerNackIsA503ForOneJobAndPerItemForABatch() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of("warren.outbox.enabled", "false"));
             Amqp amqp = new Amqp(TestBroker.url())) {
            // a second queue on the probe key that refuses every message: the broker nacks the publish
            String refusing = warren.prefix() + ".refusing";
            amqp.refusing(refusing, warren.jobsExchange(), "probe");
            try {
                HttpResponse<String> one = warren.post("probe", "{}");
                assertEquals(503, one.statusCode(), "a nack is never a 202 without the outbox: " + one.body());
                assertEquals("broker_unavailable", JSON.readTree(one.body()).get("error").get("code").asText());
                HttpResponse<String> batch = warren.post("probe/batch", "[{}, {}]");
                JsonNode answer = JSON.readTree(batch.body());
                assertEquals(0, answer.get("accepted").asInt(), batch.body());
                for (JsonNode item : answer.get("results")) {
                    assertEquals("broker_unavailable", item.get("error").get("code").asText(), batch.body());
                }
                assertEquals(0, JSON.readTree(warren.get("/api/v1/jobs").body()).get("jobs").size(), "nothing stored");
            } finally {
                amqp.deleteQueue(refusing);
            }
            assertEquals(202, warren.post("probe", "{}").statusCode(), "accepted once the broker takes jobs");
            // the refused single job and both refused batch items were taken back: only this one counts
            String metrics = warren.get("/observe/metrics").body();
            assertTrue(metrics.lines().anyMatch(line -> line.equals("warren_jobs_accepted_total{type=\"probe\"} 1.0")),
                    metrics.lines().filter(line -> line.startsWith("warren_jobs_accepted_total")).toList().toString());
        }
    }

    @Test
    void aBatchDuringABrokerOutageIsAcceptedAndRelayedWithTheOutboxOn() throws Exception {
        try (CuttableProxy proxy = CuttableProxy.forBroker()) {
            try (WarrenProcess warren = viaProxy(proxy, Map.of(
                    "warren.outbox.relay-after-millis", "2000",
                    "warren.outbox.relay-period-millis", "500"))) {
                proxy.cut();
                HttpResponse<String> batch = warren.post("probe/batch", "[{\"n\": 1}, {\"n\": 2}, {\"n\": 3}]");
                JsonNode answer = JSON.readTree(batch.body());
                assertEquals(3, answer.get("accepted").asInt(), batch.body());
                List<String> ids = new ArrayList<>();
                answer.get("results").forEach(item -> ids.add(item.get("jobId").asText()));
                proxy.restore();
                for (String id : ids) {
                    Await.until(id + " run once and recorded", Duration.ofSeconds(60), () -> "SUCCEEDED".equals(
                            JSON.readTree(warren.get("/api/v1/jobs/" + id).body()).get("status").asText()));
                    assertEquals(1, ProbeLog.read(warren.data()).count("START", id), "run once: " + id);
                }
            }
        }
    }

    /**
     * A confirm that comes too late leaves two copies of a job in its queue: the first publish
     * (the broker took it) and the relay's. Both are delivered for the first time; the job runs once.
     */
    @Test
    void aJobPublishedTwiceBecauseItsConfirmWasLateRunsOnce() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of(
                "warren.rabbitmq.confirm-timeout-millis", "0", // no confirm is back in time
                "warren.outbox.relay-after-millis", "500",
                "warren.outbox.relay-period-millis", "200"));
             Amqp amqp = new Amqp(TestBroker.url())) {
            String work = warren.workQueue("probe");
            assertEquals(200, warren.send("POST", "/api/v1/types/probe/pause", null).statusCode());
            List<String> ids = new ArrayList<>();
            // the relay leases what it publishes for a minute: each job has one or two copies then
            // (one when its confirm beat even the 0 ms wait, the publishing thread descheduled: on a
            // busy machine all four once did, so jobs are added until one has a relay's copy)
            for (int tries = 0; tries < 10 && (ids.size() < 4 || !Await.within(Duration.ofSeconds(3), () -> amqp.depth(work) > ids.size()));
                 tries++) {
                HttpResponse<String> response = warren.post("probe", "{\"n\": " + ids.size() + "}");
                assertEquals(202, response.statusCode(), response.body());
                ids.add(JSON.readTree(response.body()).get("jobId").asText());
            }
            assertTrue(Await.within(Duration.ofSeconds(3), () -> amqp.depth(work) > ids.size()),
                    "no job of " + ids.size() + " had a late confirm and a relay's copy");
            Thread.sleep(2000); // the relay's rounds for the rest
            long copies = amqp.depth(work);
            assertEquals(200, warren.send("POST", "/api/v1/types/probe/resume", null).statusCode());
            for (String id : ids) {
                Await.until(id + " SUCCEEDED", Duration.ofSeconds(30), () -> "SUCCEEDED".equals(
                        JSON.readTree(warren.get("/api/v1/jobs/" + id).body()).get("status").asText()));
            }
            Await.until("every second copy suppressed", Duration.ofSeconds(30), () -> {
                int suppressed = 0;
                for (String id : ids) {
                    suppressed += warren.get("/api/v1/jobs/" + id + "/history").body().contains("DUPLICATE_SUPPRESSED") ? 1 : 0;
                }
                return suppressed == copies - ids.size();
            });
            for (String id : ids) {
                assertEquals(1, ProbeLog.read(warren.data()).count("START", id), "run once: " + id);
            }
        }
    }

    /**
     * The relay's copy of a job runs; the job's first publish (its confirm was late) is delivered
     * for the first time meanwhile: it is suppressed, not run beside it. (A running job that the
     * relay never took has one copy: a delivery of it is the broker's redelivery, and takes over.)
     */
    @Test
    void theFirstPublishOfARelayedJobDoesNotRunBesideTheRelaysCopy() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of(
                "warren.rabbitmq.confirm-timeout-millis", "0", // no confirm is back in time
                "warren.worker.prefetch", "1", // the second copy goes to the idle consumer
                "warren.outbox.relay-after-millis", "500",
                "warren.outbox.relay-period-millis", "200"));
             Amqp amqp = new Amqp(TestBroker.url())) {
            String work = warren.workQueue("probe");
            assertEquals(200, warren.send("POST", "/api/v1/types/probe/pause", null).statusCode());
            String found = null;
            // a confirm can beat even a 0 ms wait (the publishing thread was descheduled): then the
            // job is QUEUED, the relay leaves it alone, and the test sends another
            for (int tries = 0; tries < 5 && found == null; tries++) {
                long before = amqp.depth(work);
                HttpResponse<String> response = warren.post("probe", "{\"sleepMillis\": 3000}");
                assertEquals(202, response.statusCode(), response.body());
                if (Await.within(Duration.ofSeconds(5), () -> amqp.depth(work) == before + 2)) {
                    found = JSON.readTree(response.body()).get("jobId").asText();
                }
            }
            assertNotNull(found, "no job of five had a late confirm and a relay's copy");
            String id = found;
            // the first publish is held back; the relay's copy goes back and runs (copies of the
            // jobs whose confirm was in time are dropped)
            GetResponse first = null;
            for (GetResponse copy : amqp.drain(work)) {
                if (!id.equals(copy.getProps().getMessageId())) {
                    continue;
                }
                if (copy.getProps().getHeaders().containsKey("warren-republished")) {
                    amqp.publish("", work, copy.getProps(), new String(copy.getBody(), StandardCharsets.UTF_8));
                } else {
                    first = copy;
                }
            }
            assertNotNull(first, "the first publish");
            assertEquals(200, warren.send("POST", "/api/v1/types/probe/resume", null).statusCode());
            Await.until("the relay's copy running", Duration.ofSeconds(20), () -> ProbeLog.read(warren.data()).count("START", id) == 1);
            amqp.publish("", work, first.getProps(), new String(first.getBody(), StandardCharsets.UTF_8));
            Await.until("the first publish suppressed", Duration.ofSeconds(20),
                    () -> warren.get("/api/v1/jobs/" + id + "/history").body().contains("DUPLICATE_SUPPRESSED"));
            Await.until("done", Duration.ofSeconds(20), () -> ProbeLog.read(warren.data()).count("DONE", id) >= 1);
            assertEquals(1, ProbeLog.read(warren.data()).count("START", id), "run once");
        }
    }

    /** A warren whose broker is reached through the proxy, with a short confirm timeout. */
    private static WarrenProcess viaProxy(CuttableProxy proxy, Map<String, String> settings) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(settings);
        all.put("warren.rabbitmq.url", proxy.brokerUrl());
        all.put("warren.rabbitmq.confirm-timeout-millis", "1000");
        return WarrenProcess.start(List.of("probe.yaml"), all);
    }
}
