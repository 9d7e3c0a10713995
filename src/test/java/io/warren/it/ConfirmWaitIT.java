package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.VertxOptions;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With warren.intake.answer-after=confirm, a job request waiting for its confirm holds no thread: more of them wait at once than the HTTP
 * server has worker threads (Camel's own consumer would run at most that many routes at a time,
 * and the rest would wait for a worker before they were even stored). Broker: the test broker
 * (TestBroker), through a proxy that hangs it.
 */
class ConfirmWaitIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WAITING = 2 * VertxOptions.DEFAULT_WORKER_POOL_SIZE;

    @Test
    @Timeout(180)
    void moreJobsWaitForTheirConfirmThanThereAreWorkerThreads() throws Exception {
        try (CuttableProxy proxy = CuttableProxy.forBroker();
             WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of(
                     "warren.intake.answer-after", "confirm",
                     "warren.rabbitmq.url", proxy.brokerUrl(),
                     "warren.rabbitmq.confirm-timeout-millis", "120000",
                     "warren.outbox.relay-after-millis", "2000",
                     "warren.outbox.relay-period-millis", "500"))) {
            // the publishing channels open while the broker answers (see AnswerAfterCommitIT)
            for (int i = 0; i < 8; i++) {
                assertEquals(202, warren.post("probe", "{}").statusCode());
            }
            proxy.stall();
            ExecutorService clients = Executors.newFixedThreadPool(WAITING);
            try {
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < WAITING; i++) {
                    String body = "{\"waiting\": " + i + "}";
                    answers.add(clients.submit(() -> warren.post("probe", body)));
                }
                // every request is in its route at once: stored, its publish unconfirmed, no answer yet
                Await.until(WAITING + " jobs stored and waiting", Duration.ofSeconds(30), () -> accepted(warren) == WAITING);
                assertEquals(0, answers.stream().filter(Future::isDone).count(), "none answered before its confirm");

                // the connections drop: no confirm will come, each job is left to the outbox relay and answered
                proxy.cut();
                proxy.restore();
                Set<String> ids = new HashSet<>();
                for (Future<HttpResponse<String>> answer : answers) {
                    HttpResponse<String> response = answer.get();
                    assertEquals(202, response.statusCode(), response.body());
                    ids.add(JSON.readTree(response.body()).get("jobId").asText());
                }
                assertEquals(WAITING, ids.size());
                for (String id : ids) {
                    Await.until(id + " relayed and run", Duration.ofSeconds(60),
                            () -> "SUCCEEDED".equals(JSON.readTree(warren.get("/api/v1/jobs/" + id).body()).get("status").asText()));
                }
            } finally {
                clients.shutdownNow();
            }
        }
    }

    /** Jobs stored and not yet confirmed. */
    private static int accepted(WarrenProcess warren) throws Exception {
        JsonNode page = JSON.readTree(warren.get("/api/v1/jobs?status=ACCEPTED&type=probe&limit=500").body());
        return page.get("jobs").size();
    }
}
