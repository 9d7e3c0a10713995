package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two instances' outbox relays race for the same stored jobs (one database, one broker reached
 * through a proxy the test cuts): each job is published by one relay only, and runs once.
 */
class OutboxRaceIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void twoRelaysPublishEachStoredJobOnce() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "two instances share a database: run with warren.test.db=postgres");
        try (CuttableProxy proxy = CuttableProxy.forBroker();
             WarrenProcess a = WarrenProcess.create(List.of("probe.yaml"), Map.of(
                     "warren.rabbitmq.url", proxy.brokerUrl(),
                     "warren.rabbitmq.confirm-timeout-millis", "1000",
                     // both relays look every 100 ms: as close a race as two instances get
                     "warren.outbox.relay-after-millis", "1000",
                     "warren.outbox.relay-period-millis", "100",
                     "warren.outbox.batch-size", "5"))) {
            a.launch();
            a.awaitReady();
            try (WarrenProcess b = a.sibling()) {
                b.launch();
                b.awaitReady();
                proxy.cut();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    WarrenProcess via = i % 2 == 0 ? a : b;
                    HttpResponse<String> response = via.post("probe", "{\"n\": " + i + "}");
                    assertEquals(202, response.statusCode(), response.body());
                    ids.add(JSON.readTree(response.body()).get("jobId").asText());
                }
                proxy.restore();
                for (String id : ids) {
                    Await.until(id + " SUCCEEDED", Duration.ofSeconds(90), () -> "SUCCEEDED".equals(
                            JSON.readTree(a.get("/api/v1/jobs/" + id).body()).path("status").asText()));
                }
                // a relay logs its publish once the confirm came, on its publishing connection: maybe after the job ran
                Await.until("every relay publish logged", Duration.ofSeconds(20), () -> {
                    String both = a.log() + b.log();
                    return ids.stream().allMatch(id -> both.contains("Outbox relay published job " + id));
                });
                String logs = a.log() + b.log();
                ProbeLog ranOnA = ProbeLog.read(a.data());
                ProbeLog ranOnB = ProbeLog.read(b.data());
                for (String id : ids) {
                    assertEquals(1, logs.split("Outbox relay published job " + id, -1).length - 1, "published by one relay: " + id);
                    assertEquals(1, ranOnA.count("START", id) + ranOnB.count("START", id), "run once: " + id);
                }
            }
        }
    }
}
