package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** warren's meters at /observe/metrics: per-type counts, timings, queue depths; kept across route reloads. */
class MetricsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void countsTimingsAndDepthsPerTypeSurviveAReload() throws Exception {
        try (InProcessWarren warren = InProcessWarren.start(List.of("probe.yaml"), Map.of())) {
            String retried = id(warren.post("probe", "{\"failAttempts\": 1}").body());
            String dead = id(warren.post("probe", "{\"failAttempts\": 99}").body());
            Await.until("both finished", Duration.ofSeconds(30), () -> status(warren, retried).equals("SUCCEEDED")
                    && status(warren, dead).equals("DEAD"));

            String metrics = warren.get("/observe/metrics").body();
            // open to scrapers by default: no file system paths in it (issue 12)
            String dataPath = warren.data().toAbsolutePath().toString();
            assertTrue(metrics.lines().noneMatch(l -> l.contains(dataPath)),
                    metrics.lines().filter(l -> l.contains(dataPath)).findFirst().orElse(""));
            assertEquals(2.0, value(metrics, "warren_jobs_accepted_total{type=\"probe\"}"));
            assertEquals(2.0, value(metrics, "warren_jobs_published_total{type=\"probe\"}"));
            assertEquals(1.0, value(metrics, "warren_jobs_succeeded_total{type=\"probe\"}"));
            assertEquals(5.0, value(metrics, "warren_jobs_attempts_failed_total{type=\"probe\"}"), "1 + 4");
            assertEquals(4.0, value(metrics, "warren_jobs_retried_total{type=\"probe\"}"), "1 + 3");
            assertEquals(1.0, value(metrics, "warren_jobs_dead_lettered_total{type=\"probe\"}"));
            assertTrue(metrics.contains("warren_job_processing_seconds_bucket{type=\"probe\""), "processing histogram");
            assertTrue(metrics.contains("warren_publish_confirm_seconds_bucket{type=\"probe\""), "confirm histogram");
            // the store's writer: every job's writes went through it
            assertTrue(value(metrics, "warren_store_queued_seconds_count") >= 4, "writes queued for the writer");
            assertTrue(value(metrics, "warren_store_transaction_seconds_count") >= 1, "its transactions");
            assertTrue(value(metrics, "warren_store_transaction_works_sum") >= value(metrics, "warren_store_transaction_seconds_count"),
                    "at least one write per transaction");
            assertEquals(1.0, value(metrics, "warren_queue_messages{queue=\"" + warren.deadQueue("probe") + "\"}"));
            assertEquals(0.0, value(metrics, "warren_queue_messages{queue=\"" + warren.workQueue("probe") + "\"}"));

            // reloading the type's route file keeps the counts
            Path file = warren.routes().resolve("probe.yaml");
            Files.writeString(file, Files.readString(file) + "\n# touched\n");
            Await.until("reloaded", Duration.ofSeconds(20), () -> warren.log().split("Job type file probe.yaml loaded", -1).length > 2);
            assertEquals(1.0, value(warren.get("/observe/metrics").body(), "warren_jobs_succeeded_total{type=\"probe\"}"));
        }
    }

    /** Each accepted job counted once, single or in a batch, whether answered after its commit or its confirm. */
    @ParameterizedTest
    @ValueSource(strings = {"commit", "confirm"})
    void everyAcceptedJobIsCountedOnce(String answerAfter) throws Exception {
        try (InProcessWarren warren = InProcessWarren.start(List.of("probe.yaml"), Map.of("warren.intake.answer-after", answerAfter))) {
            assertEquals(202, warren.post("probe", "{}").statusCode());
            String batch = warren.post("probe/batch", "[{}, \"not an object\", {\"a\": 1}]").body();
            assertEquals(2, JSON.readTree(batch).get("accepted").asInt(), batch);
            Await.until("all three ran", Duration.ofSeconds(30),
                    () -> countOrZero(warren.get("/observe/metrics").body(), "warren_jobs_succeeded_total{type=\"probe\"}") == 3.0);
            assertEquals(3.0, value(warren.get("/observe/metrics").body(), "warren_jobs_accepted_total{type=\"probe\"}"));
        }
    }

    private static double value(String metrics, String series) {
        Matcher m = series(metrics, series);
        assertTrue(m.find(), "no " + series + " in\n" + metrics.lines().filter(l -> l.startsWith("warren_")).toList());
        return Double.parseDouble(m.group(1));
    }

    /** A counter not yet registered (nothing has happened to count) reads as 0, so a wait can poll it before the first job ends. */
    private static double countOrZero(String metrics, String series) {
        Matcher m = series(metrics, series);
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }

    private static Matcher series(String metrics, String series) {
        return Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
    }

    private static String id(String body) throws Exception {
        return JSON.readTree(body).get("jobId").asText();
    }

    private static String status(InProcessWarren warren, String id) throws Exception {
        return JSON.readTree(warren.get("/api/v1/jobs/" + id).body()).get("status").asText();
    }
}
