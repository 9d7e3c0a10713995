package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    @SuppressWarnings("unchecked")
    void sigtermDrainsRunningJobsWithoutRunningThemTwice() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of())) {
            String jobId = accept(warren, "{\"sleepMillis\": 3000}");
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
            assertEquals("SUCCEEDED", JSON.readTree(warren.get("/api/v1/jobs/" + jobId).body()).get("status").asText(),
                    "its success was recorded while draining");
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

    private static String accept(WarrenProcess warren, String json) throws Exception {
        HttpResponse<String> response = warren.post("probe", json);
        assertEquals(202, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("jobId").asText();
    }

    private static ProbeLog probe(WarrenProcess warren) throws Exception {
        return ProbeLog.read(warren.data());
    }
}
