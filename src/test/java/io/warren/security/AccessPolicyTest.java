package io.warren.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    private final AccessPolicy policy = new AccessPolicy(true, new UserEndpoints());

    @Test
    void submittingNeedsSubmitReadingNeedsReadEverythingElseAdmin() {
        assertEquals(Optional.of(Role.SUBMIT), policy.required("POST", "/api/v1/jobs/echo"));
        assertEquals(Optional.of(Role.SUBMIT), policy.required("POST", "/api/v1/jobs/echo/batch"));
        assertEquals(Optional.of(Role.READ), policy.required("GET", "/api/v1/jobs/0190-x"));
        assertEquals(Optional.of(Role.READ), policy.required("GET", "/api/v1/queues"));
        assertEquals(Optional.empty(), policy.required("GET", "/ui"), "the page holds no data");
        assertEquals(Optional.of(Role.READ), policy.required("GET", "/ui/anything-else"));
        assertEquals(Optional.of(Role.ADMIN), policy.required("POST", "/api/v1/dead-letters/x/replay"));
        assertEquals(Optional.of(Role.ADMIN), policy.required("GET", "/api/v1/dead-letters"));
        assertEquals(Optional.of(Role.ADMIN), policy.required("DELETE", "/api/v1/queues/warren.work.echo"));
        assertEquals(Optional.of(Role.ADMIN), policy.required("POST", "/api/v1/jobs/echo/extra/path"));
        assertEquals(Optional.of(Role.ADMIN), policy.required("POST", "/api/v9/anything-new"));
    }

    @Test
    void healthIsOpenMetricsAsConfigured() {
        assertEquals(Optional.empty(), policy.required("GET", "/observe/health"));
        assertEquals(Optional.empty(), policy.required("GET", "/observe/metrics"));
        assertEquals(Optional.of(Role.READ), new AccessPolicy(false, new UserEndpoints()).required("GET", "/observe/metrics"));
        assertEquals(Optional.empty(), policy.required("GET", "/favicon.ico"));
        assertEquals(Optional.empty(), policy.required("GET", "/api/v1/openapi.json"));
    }

    @Test
    void adminMayDoAnything() {
        Principal admin = new Principal("a", java.util.Set.of(Role.ADMIN));
        Principal reader = new Principal("r", java.util.Set.of(Role.READ));
        assertEquals(true, admin.may(Role.SUBMIT));
        assertEquals(false, reader.may(Role.SUBMIT));
        assertEquals(true, reader.may(Role.READ));
    }

    @Test
    void endpointsOfRouteFilesNeedTheRoleTheirFileNames() {
        UserEndpoints endpoints = new UserEndpoints();
        AccessPolicy policy = new AccessPolicy(true, endpoints);
        assertEquals(Optional.empty(), policy.required("POST", "/hooks/github"), "nothing declared: not found, for anyone");
        endpoints.register(new UserEndpoints.Endpoint("/hooks/github", "POST", Role.SUBMIT, "submit", "hook", null));
        endpoints.register(new UserEndpoints.Endpoint("/raw/{name}", null, Role.ADMIN, "admin (platform-http)", "raw", null));
        endpoints.register(new UserEndpoints.Endpoint("/open", "POST", null, "open", "open", null));
        assertEquals(Optional.of(Role.SUBMIT), policy.required("POST", "/hooks/github"));
        assertEquals(Optional.of(Role.SUBMIT), policy.required("POST", "/Hooks/GitHub/"), "in lower case, trailing slash too");
        assertEquals(Optional.of(Role.ADMIN), policy.required("GET", "/raw/anything"));
        assertEquals(Optional.empty(), policy.required("POST", "/open"));
        IllegalStateException taken = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> endpoints
                .register(new UserEndpoints.Endpoint("/hooks/GitHub", "POST", Role.ADMIN, "admin", "other", null)));
        assertEquals("path /hooks/GitHub is already served by route hook; route other may not claim it too", taken.getMessage());
        endpoints.unregister("hook");
        assertEquals(Optional.empty(), policy.required("POST", "/hooks/github"));
    }

    @Test
    void theRoleIsTheOneOfTheRouteServingTheRequestsMethod() {
        UserEndpoints endpoints = new UserEndpoints();
        AccessPolicy policy = new AccessPolicy(true, endpoints);
        // route ids sorted so that the GET route comes first, as the lookup once took it for any method
        endpoints.register(new UserEndpoints.Endpoint("/orders", "GET", null, "open", "a-list", null));
        endpoints.register(new UserEndpoints.Endpoint("/orders", "POST", Role.ADMIN, "admin", "b-create", null));
        assertEquals(Optional.empty(), policy.required("GET", "/orders"));
        assertEquals(Optional.of(Role.ADMIN), policy.required("POST", "/orders"));
        // no route serves the method (the server answers 404): never open by mistake
        assertEquals(Optional.of(Role.ADMIN), policy.required("PUT", "/orders"));
        // a REST DSL operation with CORS restricts itself to two methods: only those are its
        endpoints.register(new UserEndpoints.Endpoint("/carts", "GET,OPTIONS", Role.ADMIN, "admin", "cart-read", null));
        endpoints.register(new UserEndpoints.Endpoint("/carts", "POST", null, "open", "cart-add", null));
        assertEquals(Optional.of(Role.ADMIN), policy.required("OPTIONS", "/carts"));
        assertEquals(Optional.empty(), policy.required("POST", "/carts"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> endpoints.register(
                new UserEndpoints.Endpoint("/carts", "PUT,GET", Role.READ, "read", "cart-put", null)), "GET is taken");
    }

    @Test
    void pathsOneRequestCouldMatchAreRefusedNamingBothRoutes() {
        UserEndpoints endpoints = new UserEndpoints();
        endpoints.register(new UserEndpoints.Endpoint("/hooks/{name}", "POST", null, "open", "any-hook", null));
        IllegalStateException shadowed = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> endpoints.register(new UserEndpoints.Endpoint("/hooks/github", "POST", Role.ADMIN, "admin", "github", null)));
        assertEquals("path /hooks/github of route github can match the same requests as path /hooks/{name} of route any-hook; "
                + "which route got such a request would depend on which started first: give them paths that cannot both match",
                shadowed.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> endpoints
                .register(new UserEndpoints.Endpoint("/hooks/{id}", null, Role.ADMIN, "admin (platform-http)", "raw", null)),
                "platform-http serves every method");
        // what cannot meet is taken
        endpoints.register(new UserEndpoints.Endpoint("/hooks/github", "GET", Role.READ, "read", "github-status", null));
        endpoints.register(new UserEndpoints.Endpoint("/hooks/{name}/replies", "POST", Role.SUBMIT, "submit", "replies", null));
        endpoints.register(new UserEndpoints.Endpoint("/files/{name}.json", "POST", Role.SUBMIT, "submit", "json", null));
        endpoints.register(new UserEndpoints.Endpoint("/files/{name}.xml", "POST", Role.SUBMIT, "submit", "xml", null));
    }

    @Test
    void overlapIsDecidedSegmentBySegment() {
        assertEquals(true, UserEndpoints.overlap("/a/{x}/c", "/a/b/c"));
        assertEquals(true, UserEndpoints.overlap("/a/{x}", "/A/{y}/"), "case and a trailing slash do not tell paths apart");
        assertEquals(true, UserEndpoints.overlap("/f/{n}.json", "/f/report.json"));
        assertEquals(true, UserEndpoints.overlap("/f/{n}.json", "/f/x{m}.json"), "x1.json matches both");
        assertEquals(false, UserEndpoints.overlap("/f/{n}.json", "/f/report.xml"));
        assertEquals(false, UserEndpoints.overlap("/a/{x}", "/a/{x}/c"));
        assertEquals(false, UserEndpoints.overlap("/a/b", "/a/c"));
        assertEquals(true, UserEndpoints.overlap("/a/{x}", "/a/{y}"));
        assertEquals(true, UserEndpoints.overlap("/{x}/b", "/a/{y}"));
        assertEquals(true, UserEndpoints.overlap("/a/:id", "/a/b"), "Vert.x's :name is a template too");
        assertEquals(true, UserEndpoints.overlap("/files/*", "/files/{name}/raw"), "a wildcard covers all below it");
        assertEquals(true, UserEndpoints.overlap("/files/*", "/files"));
        assertEquals(false, UserEndpoints.overlap("/files/*", "/hooks/{name}"));
        assertEquals(false, UserEndpoints.overlap("/files/*", "/filesystem/{name}"));
        assertEquals(true, UserEndpoints.overlap("/files*", "/filesystem"));
        assertEquals(true, UserEndpoints.overlap("/v1/jobs/{id}:cancel", "/v1/jobs/ab"));
        assertEquals(false, UserEndpoints.overlap("/", "/api/*"));
        assertEquals(true, UserEndpoints.overlap("/*", "/api/*"));
        assertEquals(true, UserEndpoints.overlap("/{x}", "/observe/*"), "/observe itself");
    }

    @Test
    void wildcardsAndParametersNeedTheirRoutesRole() {
        UserEndpoints endpoints = new UserEndpoints();
        AccessPolicy policy = new AccessPolicy(true, endpoints);
        endpoints.register(new UserEndpoints.Endpoint("/files/*", null, Role.ADMIN, "admin (platform-http)", "files", null));
        endpoints.register(new UserEndpoints.Endpoint("/orders/:id", "GET", Role.READ, "read", "order", null));
        assertEquals(Optional.of(Role.ADMIN), policy.required("GET", "/files/a/b.txt"));
        assertEquals(Optional.of(Role.ADMIN), policy.required("GET", "/files"));
        assertEquals(Optional.empty(), policy.required("GET", "/filesystem"), "/files/* is /files and below it");
        assertEquals(Optional.of(Role.READ), policy.required("GET", "/orders/42"));
        assertEquals(Optional.empty(), policy.required("GET", "/other"));
        // Camel writes {id} as :id, and Vert.x reads every :name as a parameter: /jobs/{id}:cancel has two
        endpoints.register(new UserEndpoints.Endpoint("/v1/jobs/{id}:cancel", "POST", Role.ADMIN, "admin", "cancel", null));
        assertEquals(Optional.of(Role.ADMIN), policy.required("POST", "/v1/jobs/ab"));
        assertEquals(Optional.of(Role.ADMIN), policy.required("POST", "/v1/jobs/42:cancel"));
    }

    @Test
    void warrensOwnPrefixesEndAtASlash() {
        UserEndpoints endpoints = new UserEndpoints();
        AccessPolicy policy = new AccessPolicy(true, endpoints);
        endpoints.register(new UserEndpoints.Endpoint("/observers", "GET", Role.ADMIN, "admin", "observers", null));
        endpoints.register(new UserEndpoints.Endpoint("/uikit", "GET", Role.ADMIN, "admin", "uikit", null));
        assertEquals(Optional.of(Role.ADMIN), policy.required("GET", "/observers"), "not /observe's: open");
        assertEquals(Optional.of(Role.ADMIN), policy.required("GET", "/uikit"), "not /ui's: read");
        assertEquals(Optional.empty(), policy.required("GET", "/observe/health"));
        assertEquals(true, AccessPolicy.warrensOwn("/Observe/x"));
        assertEquals(true, AccessPolicy.warrensOwn("/api"));
        assertEquals(false, AccessPolicy.warrensOwn("/apidocs"));
        // a route file's path that could take warren's own requests is refused
        for (String path : List.of("/{page}", "/*", "/observe/mine")) {
            IllegalStateException own = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> endpoints.register(new UserEndpoints.Endpoint(path, null, Role.ADMIN, "admin", "r" + path.length(), null)));
            assertEquals(true, own.getMessage().contains("can match requests for warren's own"), own.getMessage());
        }
    }
}
