package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
             Amqp amqp = new Amqp(TestBroker.url());
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
                // Every copy the broker took is in an audit file (each instance writes the copies it
                // consumed): one per job, however many relays tried. The relays' log lines cannot show
                // that alone: a relay logs a publish once its confirm came, and on a busy machine a
                // confirm can come after the 1 s timeout, the job run all the same.
                Await.until("every job's audit copy written", Duration.ofSeconds(30), () -> {
                    List<String> audited = auditLines(a, b);
                    return ids.stream().allMatch(id -> copies(audited, id) > 0);
                });
                Await.until("the audit queue drained", Duration.ofSeconds(30), () -> amqp.depth(a.auditQueue()) == 0);
                String logs = a.log() + b.log();
                ProbeLog ranOnA = ProbeLog.read(a.data());
                ProbeLog ranOnB = ProbeLog.read(b.data());
                List<String> audited = auditLines(a, b);
                int relayed = 0;
                for (String id : ids) {
                    assertEquals(1, copies(audited, id), "published once: " + id);
                    int logged = logs.split("Outbox relay published job " + id, -1).length - 1;
                    assertTrue(logged <= 1, "published by one relay: " + id);
                    relayed += logged;
                    assertEquals(1, ranOnA.count("START", id) + ranOnB.count("START", id), "run once: " + id);
                }
                assertTrue(relayed > 0, "the relays published the jobs the broker refused");
            }
        }
    }

    /** The audit lines of both instances: each wrote the copies it consumed from the shared audit queue. */
    private static List<String> auditLines(WarrenProcess a, WarrenProcess b) throws IOException {
        List<String> lines = new ArrayList<>();
        for (WarrenProcess warren : List.of(a, b)) {
            Path audit = warren.data().resolve("audit.jsonl");
            if (Files.exists(audit)) {
                lines.addAll(Files.readAllLines(audit));
            }
        }
        return lines;
    }

    private static long copies(List<String> audited, String id) {
        return audited.stream().filter(line -> line.contains(id)).count();
    }
}
