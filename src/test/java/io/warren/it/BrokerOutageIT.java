package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * warren talks to the broker through a proxy the test cuts: start-up waits for the broker; during
 * an outage jobs are still accepted into the outbox and readiness is DOWN; when the broker is back
 * the relay publishes them and every one runs.
 */
class BrokerOutageIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void outageAtStartAndMidRunLosesNothingAndIsVisible() throws Exception {
        try (CuttableProxy proxy = CuttableProxy.forBroker()) {
            proxy.cut(); // the broker is away when warren starts
            WarrenProcess warren = WarrenProcess.create(List.of("probe.yaml"), Map.of(
                    "warren.rabbitmq.url", proxy.brokerUrl(),
                    "warren.rabbitmq.confirm-timeout-millis", "2000",
                    "warren.outbox.relay-after-millis", "3000",
                    "warren.outbox.relay-period-millis", "500"));
            try (warren) {
                // broker down at start: warren waits, saying so, and starts once it answers
                warren.launch();
                Await.until("a log line about the unreachable broker", Duration.ofSeconds(30),
                        () -> warren.log().contains("is unreachable"));
                proxy.restore();
                warren.awaitReady();
                String before = accept(warren);
                Await.until("job done", Duration.ofSeconds(20), () -> ProbeLog.read(warren.data()).count("DONE", before) == 1);

                // broker gone mid-run: jobs are still accepted (stored in the outbox), readiness DOWN
                proxy.cut();
                List<String> during = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    during.add(accept(warren));
                }
                for (String id : during) {
                    assertEquals("ACCEPTED", JSON.readTree(warren.get("/api/v1/jobs/" + id).body()).get("status").asText());
                }
                // at once, not when a consumer's recovery next touches the connection: the probe asks it for a channel
                assertEquals(503, warren.get("/observe/health/ready").statusCode(), "not ready once the broker closed the connection");
                Await.until("health DOWN", Duration.ofSeconds(20), () -> warren.get("/observe/health").statusCode() == 503);
                assertEquals(503, warren.get("/observe/health/ready").statusCode(), "not ready without the broker");
                assertEquals(200, warren.get("/observe/health/live").statusCode(), "but alive: no restart needed");

                // broker back: health UP; the relay publishes what was accepted, all of it runs once
                proxy.restore();
                Await.until("health UP", Duration.ofSeconds(30), () -> warren.get("/observe/health").statusCode() == 200);
                String after = accept(warren);
                Await.until("jobs from during and after the outage done", Duration.ofSeconds(60), () -> {
                    ProbeLog log = ProbeLog.read(warren.data());
                    return log.count("DONE", after) == 1 && during.stream().allMatch(id -> log.count("DONE", id) == 1);
                });
            }
        }
    }

    private static String accept(WarrenProcess warren) throws Exception {
        HttpResponse<String> response = warren.post("probe", "{}");
        assertEquals(202, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("jobId").asText();
    }
}
