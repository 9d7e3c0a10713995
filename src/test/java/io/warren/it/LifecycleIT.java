package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What happens to jobs when warren itself dies, stops, or cannot start. */
class LifecycleIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void killMinus9MidJobLosesNothing() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of());
             Amqp amqp = new Amqp(TestBroker.url())) {
            String jobId = accept(warren, "{\"sleepMillis\": 4000}");
            Await.until("job started", Duration.ofSeconds(20), () -> probe(warren).count("START", jobId) == 1);

            warren.kill9();

            assertEquals(0, probe(warren).count("DONE", jobId));
            Await.until("unacked job back in its queue", Duration.ofSeconds(20),
                    () -> amqp.depth(warren.workQueue("probe")) == 1);
            warren.restart();
            Await.until("job redelivered and done", Duration.ofSeconds(30), () -> probe(warren).count("DONE", jobId) == 1);
            assertEquals(2, probe(warren).count("START", jobId));
        }
    }

    @Test
    void killMinus9WithDozensInFlightAndPrefetchedEveryAcceptedJobSucceeds() throws Exception {
        // prefetch 10 and concurrency 2 (the defaults): 2 running, up to 18 prefetched, the rest Ready
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of())) {
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ids.add(accept(warren, "{\"sleepMillis\": 300}"));
            }
            Await.until("a few done", Duration.ofSeconds(30), () -> probe(warren).count("DONE") >= 4);
            warren.kill9();
            ProbeLog atKill = probe(warren);
            warren.restart();
            for (String id : ids) {
                Await.until(id + " SUCCEEDED", Duration.ofSeconds(90), () -> "SUCCEEDED".equals(
                        JSON.readTree(warren.get("/api/v1/jobs/" + id).body()).path("status").asText()));
            }
            ProbeLog log = probe(warren);
            for (String id : ids) {
                assertTrue(log.count("DONE", id) >= 1, id + " never ran to the end");
                // a second run is at-least-once at work, and only for a job that was under way when killed
                if (log.count("START", id) > 1) {
                    assertEquals(1, atKill.count("START", id), id + " ran twice without having been under way at the kill");
                }
            }
        }
    }

    @Test
    void aKillDuringBackOffLosesNothingAndTheStoredAttemptCountGoesOn() throws Exception {
        // slowretry waits 5 s before a retry, in place (retryMode: in-place): warren dies then
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml", "slowretry.yaml"), Map.of())) {
            java.nio.file.Path broken = java.nio.file.Files.createTempFile(warren.data(), "broken", "");
            HttpResponse<String> response = warren.post("slowretry", "{\"failWhile\": \"" + broken + "\"}");
            assertEquals(202, response.statusCode(), response.body());
            String jobId = JSON.readTree(response.body()).get("jobId").asText();
            Await.until("first attempt failed", Duration.ofSeconds(20), () -> probe(warren).count("FAIL", jobId) == 1);
            // in back-off: its failure recorded (the handler's FAIL line comes a moment before that)
            Await.until("failure recorded", Duration.ofSeconds(20), () -> "RETRYING".equals(
                    JSON.readTree(warren.get("/api/v1/jobs/" + jobId).body()).path("status").asText()));
            warren.kill9();
            java.nio.file.Files.delete(broken);

            warren.restart();
            Await.until("redelivered and done", Duration.ofSeconds(60), () -> probe(warren).count("DONE", jobId) == 1);
            JsonNode job = JSON.readTree(warren.get("/api/v1/jobs/" + jobId).body());
            Await.until("recorded SUCCEEDED", Duration.ofSeconds(10), () -> "SUCCEEDED".equals(
                    JSON.readTree(warren.get("/api/v1/jobs/" + jobId).body()).path("status").asText()));
            // the in-place wait lived in the dead process: the redelivery starts again at attempt 1; the store's count goes on
            assertEquals(1, probe(warren).starts(jobId).size() - 1, "one run after the restart");
            assertEquals(2, JSON.readTree(warren.get("/api/v1/jobs/" + jobId).body()).get("attempts").asInt(), job.toString());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void sigtermDrainsRunningJobsWithoutRunningThemTwice() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of())) {
            // longer than the listener's own 5 s shutdown timeout, shorter than warren's drain (20 s here):
            // without warren's drain setting the channel would close under it and it would run twice
            String jobId = accept(warren, "{\"sleepMillis\": 8000}");
            Await.until("job started", Duration.ofSeconds(20), () -> probe(warren).count("START", jobId) == 1);

            warren.sigterm();
            // jobs sent before the signal lands are still accepted; from then on the intake refuses
            HttpResponse<String>[] during = new HttpResponse[1];
            Await.until("intake refuses while draining", Duration.ofSeconds(10),
                    () -> (during[0] = warren.post("probe", "{}")).statusCode() != 202);
            assertEquals(503, during[0].statusCode(), during[0].body());
            assertTrue(during[0].body().contains("shutting_down"), during[0].body());
            int exit = warren.awaitExit(Duration.ofSeconds(40));

            assertTrue(exit == 0 || exit == 143, "clean exit on SIGTERM, got " + exit);
            assertEquals(1, probe(warren).count("DONE", jobId), "the running job finished before exit");
            warren.restart();
            String next = accept(warren, "{}");
            Await.until("next job done", Duration.ofSeconds(20), () -> probe(warren).count("DONE", next) == 1);
            assertEquals(1, probe(warren).count("START", jobId), "the drained job did not run again");
            JsonNode job = JSON.readTree(warren.get("/api/v1/jobs/" + jobId).body());
            assertEquals("SUCCEEDED", job.get("status").asText(), "its success was recorded while draining: " + job);
        }
    }

    @Test
    void aJobLongerThanTheDrainTimeoutIsRedeliveredNotLost() throws Exception {
        // drain 3 s (warren then gives Camel 10 s more to stop); the job needs 20 s: warren exits under it
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of("warren.worker.drain-timeout-seconds", "3"))) {
            String jobId = accept(warren, "{\"sleepMillis\": 20000}");
            Await.until("job started", Duration.ofSeconds(20), () -> probe(warren).count("START", jobId) == 1);
            warren.sigterm();
            warren.awaitExit(Duration.ofSeconds(90));
            // the listener gave up on it after 3 s: its ack cannot go through the closed channel, so the
            // broker keeps it for the next start, whether or not the run went on until the process exited
            long finishedBeforeExit = probe(warren).count("DONE", jobId);

            warren.restart();
            Await.until("recorded SUCCEEDED", Duration.ofSeconds(60), () -> "SUCCEEDED".equals(
                    JSON.readTree(warren.get("/api/v1/jobs/" + jobId).body()).path("status").asText()));
            try (Amqp amqp = new Amqp(TestBroker.url())) {
                Acked.all(warren, amqp, "probe");
            }
            ProbeLog log = probe(warren);
            assertEquals(1, log.count("DONE", jobId), "run to the end exactly once");
            // run again only if the first run was cut off; and never two at once: the first process was gone
            assertEquals(finishedBeforeExit == 1 ? 1 : 2, log.count("START", jobId));
        }
    }

    @Test
    void queueWithOtherArgumentsStopsStartUpNamingQueueAndArgument() throws Exception {
        try (WarrenProcess warren = WarrenProcess.create(List.of("probe.yaml"), Map.of());
             Amqp amqp = new Amqp(TestBroker.url())) {
            assertEquals(null, amqp.declare(warren.workQueue("probe"), true, Map.of("x-max-length", 10)));

            warren.launch();
            int exit = warren.awaitExit(Duration.ofSeconds(60));

            assertNotEquals(0, exit);
            String log = warren.log();
            assertTrue(log.contains("PRECONDITION_FAILED"), log);
            assertTrue(log.contains("warren failed to start: "), "said once, whatever failed");
            assertTrue(log.contains("'" + warren.workQueue("probe") + "'"), "names the queue");
            assertTrue(log.contains("x-dead-letter-exchange"), "names the argument");
        }
    }

    @Test
    void unreachableBrokerAtStartIsRetriedLoudlyThenGivenUpWithoutLeakingThePassword() throws Exception {
        int closed = WarrenProcess.freePort();
        try (WarrenProcess warren = WarrenProcess.create(List.of("probe.yaml"), Map.of(
                "warren.rabbitmq.url", "amqp://guest:s3cret-pw@127.0.0.1:" + closed + "/",
                "warren.rabbitmq.startup-timeout-seconds", "3"))) {
            warren.launch();
            int exit = warren.awaitExit(Duration.ofSeconds(60));

            assertNotEquals(0, exit);
            String log = warren.log();
            assertTrue(log.contains("is unreachable"), log);
            assertTrue(log.contains("retrying in"), log);
            assertTrue(log.contains("amqp://guest:****@127.0.0.1:" + closed), log);
            assertFalse(log.contains("s3cret-pw"), "password in the log");
        }
    }

    @Test
    void unreachableDatabaseAtStartIsRetriedThenGivenUpWithoutLeakingThePassword() throws Exception {
        int closed = WarrenProcess.freePort();
        try (WarrenProcess warren = WarrenProcess.create(List.of("probe.yaml"), Map.of(
                "warren.db.url", "jdbc:postgresql://127.0.0.1:" + closed + "/warren",
                "warren.db.user", "warren",
                "warren.db.password", "db-s3cret-pw",
                "warren.db.startup-timeout-seconds", "12"))) {
            warren.launch();
            int exit = warren.awaitExit(Duration.ofSeconds(60));

            assertNotEquals(0, exit);
            String log = warren.log();
            assertTrue(log.contains("Job database at jdbc:postgresql://127.0.0.1:" + closed), log);
            assertTrue(log.contains("retrying in"), log);
            assertFalse(log.contains("db-s3cret-pw"), "password in the log");
        }
    }

    private static String accept(WarrenProcess warren, String json) throws Exception {
        HttpResponse<String> response = warren.post("probe", json);
        assertEquals(202, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("jobId").asText();
    }

    private static ProbeLog probe(WarrenProcess warren) throws Exception {
        return ProbeLog.read(warren.data());
    }
}
