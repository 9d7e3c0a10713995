package io.warren.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
