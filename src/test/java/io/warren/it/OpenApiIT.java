package io.warren.it;

import static io.warren.it.TestWarren.NO_AUTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API is built from its OpenAPI document (routes/api.yaml, contract-first): the document
 * served is the contract, every operation in it answers, and a path or method outside it gets a
 * JSON 404 or 405. That every operation has a route is checked by warren itself at start.
 */
class OpenApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theServedDocumentIsTheContractAndEveryOperationAnswers() throws Exception {
        try (InProcessWarren warren = InProcessWarren.start(List.of("probe.yaml"), Map.of())) {
            HttpResponse<String> response = warren.send("GET", "/api/v1/openapi.json", null, NO_AUTH, "x");
            assertEquals(200, response.statusCode(), "open to read");
            assertEquals(Files.readString(Path.of("src/main/resources/openapi.json")), response.body());
            JsonNode spec = JSON.readTree(response.body());
            assertTrue(spec.get("openapi").asText().startsWith("3."));
            String base = spec.get("servers").get(0).get("url").asText();
            assertEquals("/api/v1", base);

            List<String> unanswered = new ArrayList<>();
            int operations = 0;
            for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                for (Iterator<Map.Entry<String, JsonNode>> methods = path.getValue().fields(); methods.hasNext(); ) {
                    Map.Entry<String, JsonNode> operation = methods.next();
                    String method = operation.getKey().toUpperCase();
                    assertTrue(operation.getValue().hasNonNull("operationId"), method + " " + path.getKey() + " has an operationId");
                    operations++;
                    String url = base + path.getKey().replaceAll("\\{[^}]+}", "x0");
                    HttpResponse<String> answer = warren.send(method, url, method.equals("POST") ? "{}" : null);
                    boolean unrouted = answer.statusCode() == 404 && answer.body().contains("\"not_found\"");
                    if (unrouted || answer.statusCode() == 405 || answer.statusCode() >= 500) {
                        unanswered.add(method + " " + url + " -> " + answer.statusCode() + " " + answer.body());
                    }
                }
            }
            assertEquals(List.of(), unanswered, "in the contract but not served");
            assertTrue(operations >= 25, "the document was read: " + operations + " operations");

            HttpResponse<String> unknownPath = warren.send("GET", "/api/v1/no-such-thing", null);
            assertEquals(404, unknownPath.statusCode());
            assertTrue(unknownPath.body().contains("\"not_found\""), unknownPath.body());
            HttpResponse<String> wrongMethod = warren.send("PUT", "/api/v1/types", "{}", "X-Echo", "not echoed");
            assertEquals(405, wrongMethod.statusCode());
            assertTrue(wrongMethod.body().contains("\"method_not_allowed\""), wrongMethod.body());
            assertEquals("GET", wrongMethod.headers().firstValue("Allow").orElse(""));
            assertTrue(wrongMethod.headers().firstValue("X-Echo").isEmpty(), "request headers are not echoed");
        }
    }

    /**
     * Under /api the contract's route takes every request: a platform-http route there would never
     * be reached, unless it starts first. Only the intake's does (POST /api/v1/jobs/{type}, served
     * asynchronously; routes/intake.yaml says why), and it is started before the contract's.
     */
    @Test
    void onlyTheIntakeServesHttpUnderTheApiBesideTheContract() throws Exception {
        List<String> beside = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/routes"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.readString(file).contains("platform-http:/api")) {
                    beside.add(file.getFileName().toString());
                }
            }
        }
        assertEquals(List.of("intake.yaml"), beside);
        assertTrue(Files.readString(Path.of("src/main/resources/routes/intake.yaml")).contains("startupOrder:"),
                "the intake's HTTP route starts before the contract's");
    }
}
