package io.warren.component;

import io.warren.security.Role;
import io.warren.security.UserEndpoints;
import org.apache.camel.model.ModelLifecycleStrategy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route that serves HTTP with {@code platform-http:} directly, outside warren's own paths, is
 * never open by accident: its path needs the admin role. {@code warren:http:<path>?role=...} is the
 * way to choose a role (or to be open, explicitly).
 */
public class PlatformHttpRoutes implements ModelLifecycleStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformHttpRoutes.class);

    private final UserEndpoints endpoints;

    public PlatformHttpRoutes(UserEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public void onAddRouteDefinition(RouteDefinition route) {
        String from = route == null || route.getInput() == null ? null : route.getInput().getEndpointUri();
        if (from == null || !from.startsWith("platform-http:")) {
            return;
        }
        String path = from.substring("platform-http:".length()).replaceAll("\\?.*", "");
        if (from.matches("(?i).*[?&]matchOnUriPrefix=true(&.*)?") && !path.endsWith("*")) {
            path += "*"; // as Camel's Vert.x consumer serves it: all below the path too
        }
        if (path.startsWith("/api") || path.startsWith("/ui") || path.startsWith("/observe") || route.getRouteId() == null) {
            return; // warren's own: the access policy knows them
        }
        endpoints.register(new UserEndpoints.Endpoint(path, null, Role.ADMIN, "admin (platform-http)", route.getRouteId(),
                route.getDescriptionText()));
        LOG.warn("Route {} serves {} with platform-http directly, so it needs the admin role; to choose the role, start "
                + "it from warren:http:{}?role=submit (or read, admin, open)", route.getRouteId(), path, path);
    }

    @Override
    public void onRemoveRouteDefinition(RouteDefinition route) {
        if (route != null && route.getRouteId() != null) {
            endpoints.unregister(route.getRouteId());
        }
    }

    @Override
    public void onAddRouteTemplateDefinition(RouteTemplateDefinition template) {
    }

    @Override
    public void onRemoveRouteTemplateDefinition(RouteTemplateDefinition template) {
    }
}
