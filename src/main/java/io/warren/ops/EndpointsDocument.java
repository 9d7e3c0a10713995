package io.warren.ops;

import io.warren.http.HttpReply;
import io.warren.security.UserEndpoints;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * GET /api/v1/openapi-endpoints.json: an OpenAPI 3 document of the HTTP endpoints route files
 * declare, as they are live now: path, method, the route that serves it (operationId), its
 * description, and the role it needs ({@code x-warren-access}; no security for open and signed).
 */
public class EndpointsDocument implements Processor {

    private final UserEndpoints endpoints;
    private final String version;

    public EndpointsDocument(UserEndpoints endpoints, String version) {
        this.endpoints = endpoints;
        this.version = version;
    }

    @Override
    public void process(Exchange exchange) {
        Map<String, Object> paths = new LinkedHashMap<>();
        for (UserEndpoints.Endpoint endpoint : endpoints.all()) {
            Map<String, Object> operation = new LinkedHashMap<>();
            operation.put("operationId", endpoint.route());
            operation.put("summary", endpoint.description() == null ? "Route " + endpoint.route() : endpoint.description());
            operation.put("security", endpoint.role() == null ? List.of()
                    : List.of(Map.of("bearer", List.of()), Map.of("apiKey", List.of()), Map.of("basic", List.of())));
            operation.put("x-warren-access", endpoint.access());
            operation.put("responses", Map.of("default", Map.of("description", "what the route answers; failures are "
                    + "{\"error\": {\"code\", \"message\"}}")));
            @SuppressWarnings("unchecked")
            Map<String, Object> methods = (Map<String, Object>) paths.computeIfAbsent(endpoint.path(), p -> new LinkedHashMap<>());
            methods.put(endpoint.method() == null ? "x-any-method" : endpoint.method().toLowerCase(Locale.ROOT), operation);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("openapi", "3.0.3");
        document.put("info", Map.of("title", "warren: endpoints of route files", "version", version));
        document.put("paths", paths);
        document.put("components", Map.of("securitySchemes", Map.of(
                "bearer", Map.of("type", "http", "scheme", "bearer"),
                "apiKey", Map.of("type", "apiKey", "in", "header", "name", "X-API-Key"),
                "basic", Map.of("type", "http", "scheme", "basic"))));
        HttpReply.send(exchange, 200, document, Map.of());
    }
}
