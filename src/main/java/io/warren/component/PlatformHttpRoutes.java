package io.warren.component;

import io.warren.http.ServedPaths;
import io.warren.security.AccessPolicy;
import io.warren.security.Role;
import io.warren.security.UserEndpoints;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a route serves over HTTP without {@code warren:http} (a {@code platform-http:} route, a
 * REST DSL operation, which warren's platform-http serves too) is never open by accident: outside
 * warren's own paths it needs the admin role. {@code warren:http:<path>?role=...} is the way to
 * choose a role (or to be open, explicitly); its route declares its endpoint itself, first. Below
 * /observe (open: health, metrics) no route serves at all; below /api and /ui, warren's access
 * policy holds whoever serves.
 */
public class PlatformHttpRoutes implements ServedPaths {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformHttpRoutes.class);

    private final UserEndpoints endpoints;
    /** The routes registered here (admin), not by their warren:http endpoint. */
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    public PlatformHttpRoutes(UserEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public void serving(String routeId, String path, String methods, Processor processor) {
        if (processor instanceof WebConsumer.Serve) {
            return; // a warren:http route's own consumer: its route declared the endpoint, with its role, first
        }
        String method = methods == null || methods.isBlank() || methods.contains(",") ? null : methods.trim().toUpperCase(Locale.ROOT);
        String lower = path.toLowerCase(Locale.ROOT);
        if (AccessPolicy.warrensOwn(path) && !(lower.equals("/observe") || lower.startsWith("/observe/"))) {
            return; // warren's own /api and /ui: the access policy's rules hold there
        }
        try {
            endpoints.register(new UserEndpoints.Endpoint(path, method, Role.ADMIN, "admin (platform-http)", routeId, null));
        } catch (IllegalStateException e) {
            throw new FailedToStartRouteException(routeId, e.getMessage(), e);
        }
        registered.add(routeId);
        LOG.warn("Route {} serves {} outside warren:http (platform-http or the REST DSL), so it needs the admin role; to choose "
                + "the role, start it from warren:http:{}?role=submit (or read, admin, open)", routeId, path, path);
    }

    @Override
    public void stopped(String routeId) {
        if (registered.remove(routeId)) {
            endpoints.unregister(routeId);
        }
    }
}
