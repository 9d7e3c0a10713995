package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * warren talks to the broker through a proxy the test cuts: start-up waits for the broker, an
 * outage turns the intake into 503s and readiness DOWN, and everything resumes when it is back.
 */
class BrokerOutageIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void outageAtStartAndMidRunLosesNothingAndIsVisible() throws Exception {
        URI broker = URI.create(TestBroker.url());
        try (CuttableProxy proxy = new CuttableProxy(broker.getHost(), broker.getPort())) {
            String viaProxy = TestBroker.url().replace(":" + broker.getPort() + "/", ":" + proxy.port() + "/");
            WarrenProcess warren = WarrenProcess.create(List.of("probe.yaml"), Map.of(
                    "warren.rabbitmq.url", viaProxy,
                    "warren.rabbitmq.confirm-timeout-millis", "2000"));
            try (warren) {
                // broker down at start: warren waits, saying so, and starts once it answers
                warren.launch();
                Await.until("a log line about the unreachable broker", Duration.ofSeconds(30),
                        () -> warren.log().contains("is unreachable"));
                proxy.restore();
                warren.awaitReady();
                String before = accept(warren);
                Await.until("job done", Duration.ofSeconds(20), () -> ProbeLog.read(warren.data()).count("DONE", before) == 1);

                // broker gone mid-run: no 202 without the broker, readiness DOWN
                proxy.cut();
                HttpResponse<String> refused = warren.post("probe", "{}");
                assertEquals(503, refused.statusCode(), refused.body());
                assertTrue(refused.body().contains("broker_unavailable"), refused.body());
                assertTrue(refused.headers().firstValue("Retry-After").isPresent());
                Await.until("health DOWN", Duration.ofSeconds(20), () -> warren.get("/observe/health").statusCode() == 503);

                // broker back: health UP, new jobs accepted and processed
                proxy.restore();
                Await.until("health UP", Duration.ofSeconds(30), () -> warren.get("/observe/health").statusCode() == 200);
                String after = accept(warren);
                Await.until("job after the outage done", Duration.ofSeconds(40),
                        () -> ProbeLog.read(warren.data()).count("DONE", after) == 1);
            }
        }
    }

    private static String accept(WarrenProcess warren) throws Exception {
        HttpResponse<String> response = warren.post("probe", "{}");
        assertEquals(202, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("jobId").asText();
    }
}
