package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/** The batch endpoint: per-item results in order, the valid items stored, confirmed and run once. */
class BatchIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void arrayAndNdjsonBatchesAcceptTheValidItemsAndReportTheRest() throws Exception {
        try (InProcessWarren warren = InProcessWarren.start(List.of("probe.yaml"), Map.of())) {
            StringBuilder array = new StringBuilder("[");
            for (int i = 0; i < 200; i++) {
                array.append(i == 0 ? "" : ",").append(i == 7 ? "[\"not an object\"]" : "{\"i\": " + i + "}");
            }
            // the probe worker's route completes one exchange per job (retries stay in the exchange)
            NotifyBuilder worked = new NotifyBuilder(warren.context()).fromRoute("work-probe").whenCompleted(199).create();
            HttpResponse<String> response = warren.post("probe/batch", array.append("]").toString());
            assertEquals(200, response.statusCode(), response.body());
            JsonNode answer = JSON.readTree(response.body());
            assertEquals(199, answer.get("accepted").asInt());
            assertEquals(1, answer.get("rejected").asInt());
            JsonNode results = answer.get("results");
            assertEquals(200, results.size());
            assertEquals(7, results.get(7).get("index").asInt());
            assertEquals("not_an_object", results.get(7).get("error").get("code").asText());
            List<String> ids = new ArrayList<>();
            for (JsonNode r : results) {
                if (r.has("jobId")) {
                    ids.add(r.get("jobId").asText());
                }
            }
            assertTrue(worked.matches(60, TimeUnit.SECONDS), "199 jobs worked");
            assertEquals(199, ProbeLog.read(warren.data()).count("DONE"), "each job done once");
            ProbeLog log = ProbeLog.read(warren.data());
            for (String id : ids) {
                assertEquals(1, log.count("START", id), "once: " + id);
            }
            // the status is recorded just after the handler returns: every id, not a sample
            assertEquals(199, new java.util.HashSet<>(ids).size(), "199 distinct ids");
            for (String id : ids) {
                Await.until(id + " recorded SUCCEEDED", Duration.ofSeconds(20), () -> "SUCCEEDED".equals(status(warren, id)));
            }

            HttpResponse<String> ndjson = warren.post("probe/batch", "{\"a\": 1}\n{\"b\": 2}\n{bad\n",
                    "Content-Type", "application/x-ndjson");
            JsonNode nd = JSON.readTree(ndjson.body());
            assertEquals(2, nd.get("accepted").asInt(), ndjson.body());
            assertEquals("malformed_json", nd.get("results").get(2).get("error").get("code").asText());
            for (int i = 0; i < 2; i++) {
                String id = nd.get("results").get(i).get("jobId").asText();
                Await.until("NDJSON item " + i + " run", Duration.ofSeconds(20), () -> "SUCCEEDED".equals(status(warren, id))
                        && ProbeLog.read(warren.data()).count("DONE", id) == 1);
            }

            assertEquals(400, warren.post("probe/batch", "{\"not\": \"an array\"}").statusCode());
            assertEquals(400, warren.post("probe/batch", "[]").statusCode());
            StringBuilder tooMany = new StringBuilder("[");
            for (int i = 0; i < 1001; i++) {
                tooMany.append(i == 0 ? "" : ",").append("{}");
            }
            assertEquals(400, warren.post("probe/batch", tooMany.append("]").toString()).statusCode());
            assertEquals(404, warren.post("nope/batch", "[{}]").statusCode());
            assertTrue(warren.post("probe/batch", "[{}]", TestWarren.NO_AUTH, "x").statusCode() == 401);
        }
    }

    private static String status(InProcessWarren warren, String id) throws Exception {
        return JSON.readTree(warren.get("/api/v1/jobs/" + id).body()).path("status").asText();
    }
}
