package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The job database goes away mid-run (PostgreSQL behind a proxy the test cuts; H2 is in-process
 * and cannot go away): nothing is accepted that is not stored (single jobs or a batch), nothing
 * refused is published, and a job that finishes meanwhile is recorded when the database is back, without running again.
 */
class DatabaseOutageIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void intakeRefusesAndWorkersWaitWhileTheDatabaseIsAway() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "needs a database outside warren's process (run with warren.test.db=postgres)");
        WarrenProcess warren = WarrenProcess.create(List.of("probe.yaml"), Map.of());
        // the proxy stands before whichever PostgreSQL the tests use (Testcontainers, WARREN_TEST_DB_URL, local)
        String url = warren.setting("warren.db.url");
        URI database = URI.create(url.substring("jdbc:".length()));
        try (CuttableProxy proxy = new CuttableProxy(database.getHost(), database.getPort());
             warren) {
            proxy.restore();
            Map<String, String> viaProxy = new LinkedHashMap<>();
            viaProxy.put("warren.db.url", url.replace(database.getHost() + ":" + database.getPort() + "/",
                    "127.0.0.1:" + proxy.port() + "/"));
            warren.override(viaProxy);
            warren.launch();
            warren.awaitReady();

            HttpResponse<String> accepted = warren.post("probe", "{\"sleepMillis\": 3000}");
            assertEquals(202, accepted.statusCode(), accepted.body());
            String id = JSON.readTree(accepted.body()).get("jobId").asText();
            Await.until("started", Duration.ofSeconds(20), () -> ProbeLog.read(warren.data()).count("START", id) == 1);

            proxy.cut();
            HttpResponse<String> refused = warren.post("probe", "{}");
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("store_unavailable", JSON.readTree(refused.body()).get("error").get("code").asText());
            // a batch is stored in one transaction or not at all: refused whole, none of it published
            HttpResponse<String> batch = warren.post("probe/batch", "[{}, {}, {}]");
            assertEquals(503, batch.statusCode(), batch.body());
            assertEquals("store_unavailable", JSON.readTree(batch.body()).get("error").get("code").asText());
            Await.until("health DOWN", Duration.ofSeconds(20), () -> warren.get("/observe/health").statusCode() == 503);
            // once the probe has seen it down, the intake refuses without waiting for the pool
            HttpResponse<String> known = warren.post("probe", "{}");
            assertEquals(503, known.statusCode(), known.body());
            assertTrue(warren.log().contains("Job database is unreachable (last probe:"), "refused from the probe's state");
            Await.until("handler done", Duration.ofSeconds(20), () -> ProbeLog.read(warren.data()).count("DONE", id) == 1);

            proxy.restore();
            // the probe's own connection broke with the cut: it connects again
            Await.until("health UP", Duration.ofSeconds(20), () -> warren.get("/observe/health").statusCode() == 200);
            Await.until("success recorded", Duration.ofSeconds(60), () -> {
                HttpResponse<String> job = warren.get("/api/v1/jobs/" + id);
                return job.statusCode() == 200 && "SUCCEEDED".equals(JSON.readTree(job.body()).get("status").asText());
            });
            assertEquals(1, ProbeLog.read(warren.data()).count("START", id), "the handler ran once");

            // a job answered 503 was never published: after one more job, only the two accepted ones ran
            HttpResponse<String> last = warren.post("probe", "{}");
            assertEquals(202, last.statusCode(), last.body());
            String lastId = JSON.readTree(last.body()).get("jobId").asText();
            Await.until("the last job run", Duration.ofSeconds(30), () -> ProbeLog.read(warren.data()).count("DONE", lastId) == 1);
            assertEquals(2, ProbeLog.read(warren.data()).count("START"), "only the accepted jobs ran");
        }
    }
}
