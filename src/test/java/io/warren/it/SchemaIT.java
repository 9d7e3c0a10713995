package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A job type's optional JSON Schema, next to its route file. */
class SchemaIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jobsThatBreakTheSchemaAreRefusedWithTheViolations() throws Exception {
        try (InProcessWarren warren = InProcessWarren.start(List.of("flaky.yaml", "flaky.schema.json", "echo.yaml"), Map.of());
             Amqp amqp = new Amqp(TestBroker.url())) {
            String tap = warren.prefix() + ".tap";
            amqp.tap(tap, warren.jobsExchange(), "flaky", null);
            try {
                HttpResponse<String> bad = warren.post("flaky", "{\"failAttempts\": \"three\", \"permanent\": 1}");
                assertEquals(400, bad.statusCode(), bad.body());
                JsonNode error = JSON.readTree(bad.body()).get("error");
                assertEquals("schema_violation", error.get("code").asText());
                assertTrue(error.get("message").asText().contains("failAttempts"), error.toString());
                assertTrue(error.get("message").asText().contains("permanent"), error.toString());
                assertEquals(0, amqp.depth(tap), "nothing published");

                assertEquals(202, warren.post("flaky", "{\"failAttempts\": 0}").statusCode());
                assertEquals(202, warren.post("echo", "{\"anything\": [1, \"goes\"]}").statusCode(), "no schema, no check");

                // a schema may not reach out to the network
                Files.writeString(warren.routes().resolve("echo.schema.json"),
                        "{\"$ref\": \"http://127.0.0.1:9/evil.json\"}");
                Await.until("the new schema read", Duration.ofSeconds(20), () -> warren.post("echo", "{}").statusCode() == 500);
                Await.until("the reason logged", Duration.ofSeconds(20), () -> warren.log().contains("a schema may not load"));
            } finally {
                amqp.deleteQueue(tap);
            }
        }
    }
}
