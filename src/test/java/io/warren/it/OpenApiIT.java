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
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps /api/v1/openapi.json true: every HTTP route in the route files is in it, and every path
 * and method in it answers (a route exists: no router 404, no 405).
 */
class OpenApiIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROUTE = Pattern.compile("platform-http:(/[^\\s\"']*)");

    @Test
    void theDocumentAndTheRoutesAgree() throws Exception {
        try (InProcessWarren warren = InProcessWarren.start(List.of("probe.yaml"), Map.of())) {
            HttpResponse<String> response = warren.send("GET", "/api/v1/openapi.json", null, NO_AUTH, "x");
            assertEquals(200, response.statusCode(), "open to read");
            JsonNode spec = JSON.readTree(response.body());
            assertTrue(spec.get("openapi").asText().startsWith("3."));

            Set<String> documented = new TreeSet<>();
            spec.get("paths").fieldNames().forEachRemaining(path -> documented.add(shape(path)));
            Set<String> routed = new TreeSet<>();
            try (Stream<Path> files = Files.list(Path.of("src/main/resources/routes"))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Matcher m = ROUTE.matcher(Files.readString(file));
                    while (m.find()) {
                        routed.add(shape(m.group(1)));
                    }
                }
            }
            assertTrue(routed.size() >= 20, "the route files were read: " + routed);
            routed.removeAll(documented);
            assertEquals(Set.of(), routed, "routes missing from the OpenAPI document");

            List<String> unanswered = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields(); paths.hasNext(); ) {
                Map.Entry<String, JsonNode> path = paths.next();
                for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                    String method = methods.next().toUpperCase();
                    String url = path.getKey().replaceAll("\\{[^}]+}", "x0");
                    HttpResponse<String> answer = warren.send(method, url, method.equals("POST") ? "{}" : null);
                    boolean routerMiss = answer.statusCode() == 404 && answer.body().contains("\"not_found\"");
                    if (routerMiss || answer.statusCode() == 405 || answer.statusCode() >= 500) {
                        unanswered.add(method + " " + path.getKey() + " -> " + answer.statusCode() + " " + answer.body());
                    }
                }
            }
            assertEquals(List.of(), unanswered, "documented but not served");
            assertTrue(documented.size() >= 20, "the document was read: " + documented);
        }
    }

    /** /api/v1/jobs/{type} and /api/v1/jobs/{id} are the same route. */
    private static String shape(String path) {
        return path.replaceAll("\\{[^}]+}", "{}");
    }
}
