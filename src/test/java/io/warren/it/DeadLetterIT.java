package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.security.Secrets;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dead letters: browsed from the job store with why they died, replayed once, discarded. */
class DeadLetterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READ_KEY = "wk_read-only-dead-letter-0000001";
    private static InProcessWarren warren;

    @BeforeAll
    static void start() throws Exception {
        warren = InProcessWarren.start(List.of("probe.yaml"), Map.of(
                "warren.security.api-keys", "test-admin:admin:" + Secrets.sha256(TestWarren.ADMIN_KEY)
                        + ",dash:read:" + Secrets.sha256(READ_KEY)));
    }

    @AfterAll
    static void stop() throws Exception {
        warren.close();
    }

    @Test
    void browseThenReplayOnceThenNotAgain() throws Exception {
        Path broken = Files.createTempFile(warren.data(), "broken", "");
        String id = deadJob(broken);

        JsonNode list = JSON.readTree(warren.get("/api/v1/dead-letters?type=probe&exception=IllegalStateException").body());
        assertTrue(list.get("deadLetters").toString().contains(id));
        JsonNode none = JSON.readTree(warren.get("/api/v1/dead-letters?type=probe&exception=java.io.IOException").body());
        assertTrue(!none.get("deadLetters").toString().contains(id));

        JsonNode letter = JSON.readTree(warren.get("/api/v1/dead-letters/" + id).body());
        assertEquals("DEAD", letter.get("status").asText());
        assertEquals(4, letter.get("attempts").asInt());
        assertTrue(letter.get("lastError").get("stack").asText().contains("RecordingHandler"), letter.toString());
        assertTrue(letter.get("history").toString().contains("DEAD_LETTERED"));
        assertEquals(403, warren.send("GET", "/api/v1/dead-letters", null, "Authorization", "Bearer " + READ_KEY).statusCode(),
                "dead letters are admin's");

        // the cause is fixed; replay it
        Files.delete(broken);
        HttpResponse<String> replayed = warren.send("POST", "/api/v1/dead-letters/" + id + "/replay", null);
        assertEquals(202, replayed.statusCode(), replayed.body());
        HttpResponse<String> again = warren.send("POST", "/api/v1/dead-letters/" + id + "/replay", null);
        assertEquals(409, again.statusCode(), "a second replay is refused: " + again.body());
        Await.until("replayed job succeeded", Duration.ofSeconds(30), () -> "SUCCEEDED".equals(status(id)));
        assertEquals(5, ProbeLog.read(warren.data()).count("START", id), "4 attempts, then exactly one replayed run");
        JsonNode history = JSON.readTree(warren.get("/api/v1/jobs/" + id + "/history").body());
        assertTrue(history.toString().contains("REPLAYED"), history.toString());
        assertEquals(409, warren.send("POST", "/api/v1/dead-letters/" + id + "/replay", null).statusCode());
    }

    @Test
    void replayByFilterWithDryRunFirst() throws Exception {
        Path broken = Files.createTempFile(warren.data(), "broken", "");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(deadJob(broken));
        }
        String filter = "{\"type\": \"probe\", \"exception\": \"IllegalStateException\", \"limit\": 1000";
        JsonNode dry = JSON.readTree(warren.send("POST", "/api/v1/dead-letters/replay", filter + ", \"dryRun\": true}").body());
        assertTrue(dry.get("dryRun").asBoolean());
        for (String id : ids) {
            assertTrue(dry.get("jobIds").toString().contains(id));
            assertEquals("DEAD", status(id), "a dry run changes nothing");
        }
        // typos and empty filters are refused, not read as "replay everything for real"
        for (String typo : List.of("{\"type\": \"probe\", \"dryrun\": true}", "{\"type\": \"probe\", \"dryRun\": \"yes\"}",
                "{\"type\": \"probe\", \"limit\": \"abc\"}", "{\"type\": \"probe\", \"limit\": 1.5}", "", "{}",
                "{\"all\": \"true\"}", "{\"type\": 7}")) {
            HttpResponse<String> refused = warren.send("POST", "/api/v1/dead-letters/replay", typo);
            assertEquals(400, refused.statusCode(), typo + " -> " + refused.body());
            assertTrue(JSON.readTree(refused.body()).get("error").get("message").asText().length() > 0);
        }
        for (String id : ids) {
            assertEquals("DEAD", status(id), "nothing replayed by a refused filter");
        }

        Files.delete(broken);
        HttpResponse<String> replay = warren.send("POST", "/api/v1/dead-letters/replay", filter + "}");
        assertEquals(202, replay.statusCode(), replay.body());
        Await.until("all replayed and done", Duration.ofSeconds(60), () -> {
            for (String id : ids) {
                if (!"SUCCEEDED".equals(status(id))) {
                    return false;
                }
            }
            return true;
        });
        assertEquals(400, warren.send("POST", "/api/v1/dead-letters/replay", "{\"limit\": 0}").statusCode());
        assertEquals(400, warren.send("POST", "/api/v1/dead-letters/replay", "[1]").statusCode());
    }

    @Test
    void discardKeepsTheJobAndItsHistory() throws Exception {
        String id = deadJob(Files.createTempFile(warren.data(), "broken", ""));
        HttpResponse<String> discarded = warren.send("DELETE", "/api/v1/dead-letters/" + id, null);
        assertEquals(200, discarded.statusCode(), discarded.body());
        assertEquals("DISCARDED", status(id));
        assertEquals(409, warren.send("DELETE", "/api/v1/dead-letters/" + id, null).statusCode());
        assertEquals(409, warren.send("POST", "/api/v1/dead-letters/" + id + "/replay", null).statusCode());
        assertTrue(warren.get("/api/v1/jobs/" + id + "/history").body().contains("DISCARDED"));
        assertEquals(404, warren.send("GET", "/api/v1/dead-letters/01a20000-0000-7000-8000-000000000000", null).statusCode());
        assertEquals(405, warren.send("PUT", "/api/v1/dead-letters/" + id, "{}").statusCode());
    }

    private static String deadJob(Path broken) throws Exception {
        HttpResponse<String> response = warren.post("probe", "{\"failWhile\": " + JSON.writeValueAsString(broken.toString()) + "}");
        assertEquals(202, response.statusCode(), response.body());
        String id = JSON.readTree(response.body()).get("jobId").asText();
        Await.until("dead", Duration.ofSeconds(30), () -> "DEAD".equals(status(id)));
        return id;
    }

    private static String status(String id) throws Exception {
        return JSON.readTree(warren.get("/api/v1/jobs/" + id).body()).get("status").asText();
    }
}
