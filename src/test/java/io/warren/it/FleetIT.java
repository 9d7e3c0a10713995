package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Three warren instances, one broker (through a proxy the test can cut), one PostgreSQL: a
 * targeted command reaches only its instance, a broadcast reaches each exactly once, flags end
 * EXECUTED, and a command issued while the broker is away still executes (database polling). And
 * one instance alone, on either database: in the fleet from the moment it answers ready.
 */
class FleetIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void targetedBroadcastAndBrokerlessCommands() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "a fleet shares its database: run with warren.test.db=postgres");
        try (CuttableProxy proxy = CuttableProxy.forBroker();
             WarrenProcess a = WarrenProcess.create(List.of("probe.yaml"), Map.of(
                     "warren.rabbitmq.url", proxy.brokerUrl(), "warren.commands.poll-seconds", "1",
                     "warren.instance.heartbeat-seconds", "2"))) {
            a.launch();
            a.awaitReady();
            try (WarrenProcess b = a.sibling(); WarrenProcess c = a.sibling()) {
                b.launch();
                c.launch();
                b.awaitReady();
                c.awaitReady();
                List<WarrenProcess> fleet = List.of(a, b, c);
                Await.until("three instances alive", Duration.ofSeconds(20), () -> alive(a) == 3);

                // targeted: only b stops its probe workers
                String stop = issue(a, "{\"target\": \"" + b.instanceId() + "\", \"command\": \"STOP\", \"args\": {\"type\": \"probe\"}}");
                Await.until("executed", Duration.ofSeconds(20), () -> flag(a, stop, b.instanceId()).equals("EXECUTED"));
                assertEquals(1, command(a, stop).get("targets").size(), "only its target");
                Await.until("b paused, a and c running", Duration.ofSeconds(20), () ->
                        workers(a, b.instanceId()).equals("PAUSED") && workers(a, a.instanceId()).equals("RUNNING")
                                && workers(a, c.instanceId()).equals("RUNNING"));

                // broadcast: every instance closes its probe intake, each exactly once
                String disable = issue(c, "{\"target\": \"all\", \"command\": \"DISABLE\", \"args\": {\"type\": \"probe\"}, \"issuedBy\": \"ops\"}");
                for (WarrenProcess w : fleet) {
                    Await.until("executed on " + w.instanceId(), Duration.ofSeconds(20),
                            () -> flag(a, disable, w.instanceId()).equals("EXECUTED"));
                    HttpResponse<String> refused = w.post("probe", "{}");
                    assertEquals(503, refused.statusCode(), refused.body());
                    assertEquals("type_disabled", JSON.readTree(refused.body()).get("error").get("code").asText());
                    assertEquals(1, w.log().split("Executing command " + disable, -1).length - 1, "exactly once on " + w.instanceId());
                }

                // the broker is away: the command is stored, and each instance finds it in the database
                proxy.cut();
                String enable = issue(a, "{\"target\": \"all\", \"command\": \"ENABLE\", \"args\": {\"type\": \"probe\"}}");
                for (WarrenProcess w : fleet) {
                    Await.until("executed without the broker on " + w.instanceId(), Duration.ofSeconds(30),
                            () -> flag(a, enable, w.instanceId()).equals("EXECUTED"));
                    assertEquals(202, w.post("probe", "{}").statusCode(), "intake open again (jobs go to the outbox)");
                }
                proxy.restore();

                assertEquals(404, a.send("POST", "/api/v1/commands", "{\"target\": \"nobody\", \"command\": \"STOP\"}").statusCode());
                assertEquals(400, a.send("POST", "/api/v1/commands", "{\"target\": \"all\", \"command\": \"EXPLODE\"}").statusCode());
                assertEquals(400, a.send("POST", "/api/v1/commands", "{\"target\": \"all\", \"command\": \"STOP\", \"args\": [1]}").statusCode());
                // bad arguments are a 400 before anything is stored or sent
                for (String bad : List.of("{\"target\": \"all\", \"command\": \"STOP\", \"args\": {\"type\": \"nope\"}}",
                        "{\"target\": \"all\", \"command\": \"STOP\", \"args\": {\"type\": \"../x\"}}",
                        "{\"target\": \"all\", \"command\": \"STOP\", \"args\": {\"type\": \"probe\", \"force\": true}}",
                        "{\"target\": \"all\", \"command\": \"STOP\", \"arg\": {\"type\": \"probe\"}}",
                        "{\"target\": 1, \"command\": \"STOP\"}")) {
                    HttpResponse<String> refused = a.send("POST", "/api/v1/commands", bad);
                    assertEquals(400, refused.statusCode(), bad + " -> " + refused.body());
                }
            }
        }
    }

    /**
     * An instance answers ready once it is in the fleet: a command for all sent at once reaches it.
     * With no instance alive, such a command is refused as such (503 no_live_instance), not as an
     * unknown target. One instance, in this process, on the test database (H2 or PostgreSQL).
     */
    @Test
    void anInstanceIsInTheFleetOnceItAnswersReady() throws Exception {
        // sent as soon as it answers ready: before the heartbeat timer's first run (a second after
        // its route starts; then every 10 minutes here)
        try (InProcessWarren w = InProcessWarren.start(List.of("probe.yaml"), Map.of("warren.instance.heartbeat-seconds", "600"))) {
            HttpResponse<String> issued = w.send("POST", "/api/v1/commands", "{\"target\": \"all\", \"command\": \"START\"}");
            assertEquals(202, issued.statusCode(), issued.body());
            String id = JSON.readTree(issued.body()).get("commandId").asText();
            Await.until("executed", Duration.ofSeconds(20), () -> flag(w, id, w.instanceId()).equals("EXECUTED"));

            // no heartbeat may come after the row is aged: the timer's is stopped, and the command's
            // own (written after its flag) has been written
            w.context().getRouteController().stopRoute("fleet-heartbeat");
            Instant executedAt = Instant.parse(command(w, id).path("targets").path(w.instanceId()).path("updatedAt").asText());
            Await.until("the command's heartbeat", Duration.ofSeconds(20), () -> !lastSeen(w, w.instanceId()).isBefore(executedAt));
            try (Connection c = w.context().getRegistry().findSingleByType(HikariDataSource.class).getConnection();
                 PreparedStatement age = c.prepareStatement("UPDATE instances SET last_seen = ? WHERE id = ?")) {
                age.setObject(1, OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC));
                age.setString(2, w.instanceId());
                assertEquals(1, age.executeUpdate());
            }
            HttpResponse<String> refused = w.send("POST", "/api/v1/commands", "{\"target\": \"all\", \"command\": \"START\"}");
            assertEquals(503, refused.statusCode(), refused.body());
            assertEquals("no_live_instance", JSON.readTree(refused.body()).get("error").get("code").asText());
            assertEquals("5", refused.headers().firstValue("Retry-After").orElse(null));
        }
    }

    /**
     * A STOP for all instances holds for the fleet: an instance that starts afterwards starts the
     * type paused, and cannot resume it alone; START for all resumes it everywhere, on an instance
     * that was away at the time too.
     */
    @Test
    void aFleetPauseHoldsForInstancesThatJoinLater() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "a fleet shares its database: run with warren.test.db=postgres");
        // heartbeats 20 s apart: b counts as alive for a minute after it stops, so the START has it among its targets
        try (WarrenProcess a = WarrenProcess.create(List.of("probe.yaml"), Map.of("warren.instance.heartbeat-seconds", "20"))) {
            a.launch();
            a.awaitReady();
            try (WarrenProcess b = a.sibling(); WarrenProcess c = a.sibling()) {
                b.launch();
                b.awaitReady();
                Await.until("two instances alive", Duration.ofSeconds(20), () -> alive(a) == 2);
                String stop = issue(a, "{\"target\": \"all\", \"command\": \"STOP\", \"args\": {\"type\": \"probe\"}}");
                Await.until("executed on b", Duration.ofSeconds(20), () -> flag(a, stop, b.instanceId()).equals("EXECUTED"));
                b.sigterm();
                b.awaitExit(Duration.ofSeconds(60));

                c.launch();
                c.awaitReady();
                assertEquals("PAUSED", typeWorkers(c), "joined after the fleet STOP");
                HttpResponse<String> refused = c.send("POST", "/api/v1/types/probe/resume", null);
                assertEquals(409, refused.statusCode(), refused.body());
                assertEquals("paused_fleet_wide", JSON.readTree(refused.body()).get("error").get("code").asText());

                Await.until("c in the fleet", Duration.ofSeconds(20), () -> !workers(a, c.instanceId()).isEmpty());
                String start = issue(a, "{\"target\": \"all\", \"command\": \"START\", \"args\": {\"type\": \"probe\"}}");
                assertEquals("PENDING", flag(a, start, b.instanceId()), "b, stopped, among the START's targets: " + command(a, start));
                Await.until("done on c", Duration.ofSeconds(20), () -> flag(a, start, c.instanceId()).endsWith("EXECUTED"));
                assertEquals("EXECUTED", flag(a, start, c.instanceId()), command(a, start).toString());
                assertEquals("RUNNING", typeWorkers(a));
                assertEquals("RUNNING", typeWorkers(c));
                b.restart();
                // the START waited in b's command queue; b runs it once its routes have started (run
                // during the start, it found no job type 'probe', or could leave the workers stopped)
                Await.until("the START done on b", Duration.ofSeconds(30), () -> flag(a, start, b.instanceId()).endsWith("EXECUTED"));
                assertEquals("EXECUTED", flag(a, start, b.instanceId()), command(a, start).toString());
                assertEquals("RUNNING", typeWorkers(b), "away during the START, resumed all the same");
            }
        }
    }

    private static String typeWorkers(WarrenProcess w) throws Exception {
        return JSON.readTree(w.get("/api/v1/types").body()).get("types").get(0).get("workers").asText();
    }

    private static String issue(WarrenProcess via, String json) throws Exception {
        HttpResponse<String> response = via.send("POST", "/api/v1/commands", json);
        assertEquals(202, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("commandId").asText();
    }

    private static JsonNode command(TestWarren via, String id) throws Exception {
        return JSON.readTree(via.get("/api/v1/commands/" + id).body());
    }

    private static String flag(TestWarren via, String id, String instance) throws Exception {
        return command(via, id).path("targets").path(instance).path("flag").asText("");
    }

    private static Instant lastSeen(TestWarren via, String instance) throws Exception {
        for (JsonNode i : JSON.readTree(via.get("/api/v1/instances").body()).get("instances")) {
            if (i.get("instanceId").asText().equals(instance)) {
                return Instant.parse(i.get("lastSeen").asText());
            }
        }
        return Instant.EPOCH;
    }

    private static long alive(WarrenProcess via) throws Exception {
        JsonNode instances = JSON.readTree(via.get("/api/v1/instances").body()).get("instances");
        long n = 0;
        for (JsonNode i : instances) {
            n += i.get("alive").asBoolean() ? 1 : 0;
        }
        return n;
    }

    private static String workers(WarrenProcess via, String instance) throws Exception {
        for (JsonNode i : JSON.readTree(via.get("/api/v1/instances").body()).get("instances")) {
            if (i.get("instanceId").asText().equals(instance)) {
                return i.path("types").path("probe").path("workers").asText("");
            }
        }
        return "";
    }
}
