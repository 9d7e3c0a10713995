package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The terminal monitor and the counts it shows, against a running warren. */
class MonitorIT {

    @Test
    void monitorOncePrintsQueuesTypesAndJobCounts() throws Exception {
        try (InProcessWarren warren = InProcessWarren.start(List.of("probe.yaml"), Map.of())) {
            String id = new ObjectMapper().readTree(warren.post("probe", "{}").body()).get("jobId").asText();
            Await.until("done", Duration.ofSeconds(20), () -> ProbeLog.read(warren.data()).count("DONE", id) == 1);
            // the status is recorded just after the handler returns
            Await.until("stats show it", Duration.ofSeconds(10), () -> warren.get("/api/v1/stats").body()
                    .equals("{\"jobsByTypeAndStatus\":{\"probe\":{\"SUCCEEDED\":1}}}"));

            ProcessBuilder monitor = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "io.warren.Warren", "monitor", "--once",
                    "--url", warren.url("")).redirectErrorStream(true);
            monitor.environment().put("WARREN_KEY", TestWarren.ADMIN_KEY);
            Process process = monitor.start();
            String screen = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor(), screen);
            assertTrue(screen.contains(warren.workQueue("probe")), screen);
            assertTrue(screen.contains(warren.auditQueue()), screen);
            assertTrue(screen.contains("RUNNING") && screen.contains("SUCCEEDED=1"), screen);
        }
    }
}
