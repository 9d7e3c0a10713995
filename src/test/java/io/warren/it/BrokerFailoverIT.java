package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * warren given two broker addresses (as for a cluster's nodes), each a proxy the test cuts in turn
 * in front of the same broker: with either one gone, warren reconnects through the other, stays
 * ready, keeps accepting, and every job runs once.
 */
class BrokerFailoverIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void losingOneOfTwoAddressesIsNoOutage() throws Exception {
        try (CuttableProxy first = CuttableProxy.forBroker(); CuttableProxy second = CuttableProxy.forBroker()) {
            WarrenProcess warren = WarrenProcess.create(List.of("probe.yaml"), Map.of(
                    "warren.rabbitmq.url", first.brokerUrl() + "," + second.brokerUrl(),
                    "warren.rabbitmq.confirm-timeout-millis", "2000",
                    "warren.outbox.relay-after-millis", "3000",
                    "warren.outbox.relay-period-millis", "500"));
            try (warren) {
                warren.launch();
                warren.awaitReady();
                List<String> jobs = new ArrayList<>(List.of(accept(warren)));
                for (CuttableProxy[] gone : new CuttableProxy[][] {{first, second}, {second, first}}) {
                    CuttableProxy cut = gone[0];
                    cut.cut();
                    // ready and accepting throughout: the outbox would also take jobs during an
                    // outage, but readiness would then be DOWN (BrokerOutageIT)
                    Await.until("warren ready with one address left", Duration.ofSeconds(30),
                            () -> warren.get("/observe/health/ready").statusCode() == 200);
                    List<String> during = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        during.add(accept(warren));
                    }
                    jobs.addAll(during);
                    Await.until("the jobs accepted with one address left done", Duration.ofSeconds(60), () -> {
                        ProbeLog log = ProbeLog.read(warren.data());
                        return during.stream().allMatch(id -> log.count("DONE", id) >= 1);
                    });
                    assertEquals(200, warren.get("/observe/health/ready").statusCode());
                    cut.restore();
                }
                // each address was cut once, so warren went through both: it failed over at least once
                assertTrue(first.connections() > 0 && second.connections() > 0,
                        "warren used both addresses (" + first.connections() + ", " + second.connections() + ")");
                ProbeLog log = ProbeLog.read(warren.data());
                for (String id : jobs) {
                    assertEquals(1, log.count("DONE", id), "job " + id + " ran once");
                }
            }
        }
    }

    private static String accept(WarrenProcess warren) throws Exception {
        HttpResponse<String> response = warren.post("probe", "{}");
        assertEquals(202, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("jobId").asText();
    }
}
