package io.warren.component;

import io.warren.http.ServedPaths;
import io.warren.security.AccessPolicy;
import io.warren.security.Role;
import io.warren.security.UserEndpoints;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a route serves over HTTP without {@code warren:http} (a {@code platform-http:} route, a
 * REST DSL operation, which warren's platform-http serves too) is never open by accident: it needs
 * the admin role. {@code warren:http:<path>?role=...} is the way to choose a role (or to be open,
 * explicitly); its route declares its endpoint itself, first. A route of the routes folder serves
 * nothing that could take requests for warren's own /api, /ui or /observe; warren's own routes
 * there are left to the access policy.
 */
public class PlatformHttpRoutes implements ServedPaths {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformHttpRoutes.class);

    private final UserEndpoints endpoints;
    private final Path routesFolder;
    /** The routes registered here (admin), not by their warren:http endpoint. */
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    /** @param routesFolder warren.routes.dir: a route read from a file there is a user's */
    public PlatformHttpRoutes(UserEndpoints endpoints, Path routesFolder) {
        this.endpoints = endpoints;
        this.routesFolder = routesFolder.toAbsolutePath().normalize();
    }

    @Override
    public void serving(String routeId, String source, String path, String methods, Processor processor) {
        if (processor instanceof WebConsumer.Serve) {
            return; // a warren:http route's own consumer: its route declared the endpoint, with its role, first
        }
        if (AccessPolicy.warrensOwn(path) && !AccessPolicy.observing(path) && !fromRoutesFolder(source)) {
            return; // warren's own /api and /ui: the access policy's rules (warren serves nothing of its own below /observe)
        }
        String method = methods == null || methods.isBlank() ? null : methods.replace(" ", "").toUpperCase(Locale.ROOT);
        try {
            endpoints.register(new UserEndpoints.Endpoint(path, method, Role.ADMIN, "admin (platform-http)", routeId, null));
        } catch (IllegalStateException e) {
            // named as Camel names a route that did not start, so that a route file's error gives its line
            throw new FailedToStartRouteException(routeId, e.getMessage(), e);
        }
        registered.add(routeId);
        LOG.warn("Route {} serves {} outside warren:http (platform-http or the REST DSL), so it needs the admin role; to choose "
                + "the role, start it from warren:http:{}?role=submit (or read, admin, open)", routeId, path, path);
    }

    private boolean fromRoutesFolder(String source) {
        return source != null && source.startsWith("file:")
                && Path.of(source.substring("file:".length())).toAbsolutePath().normalize().startsWith(routesFolder);
    }

    @Override
    public void stopped(String routeId) {
        if (registered.remove(routeId)) {
            endpoints.unregister(routeId);
        }
    }
}
