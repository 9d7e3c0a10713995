package io.warren.security;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;

/**
 * The HTTP endpoints route files declare, with the role each needs: {@code warren:http:<path>} names
 * it (or says open, or signed: checked by signature in the endpoint itself); a route that uses
 * {@code platform-http:} directly needs admin. {@link AccessPolicy} asks here for paths outside
 * warren's own; the second OpenAPI document lists them.
 */
public class UserEndpoints {

    /** role null: no credential at the guard (open, or signed). */
    public record Endpoint(String path, String method, Role role, String access, String route, String description) {

        boolean matches(String requestPath) {
            return pattern(path).matcher(requestPath).matches();
        }
    }

    private final Map<String, Endpoint> byRoute = new ConcurrentSkipListMap<>();

    /** Refuses a path and method another route serves already, naming that route. */
    public synchronized void register(Endpoint endpoint) {
        for (Endpoint other : byRoute.values()) {
            boolean sameMethod = other.method() == null || endpoint.method() == null || other.method().equals(endpoint.method());
            if (!other.route().equals(endpoint.route()) && sameMethod
                    && other.path().equalsIgnoreCase(endpoint.path())) {
                throw new IllegalStateException("path " + endpoint.path() + " is already served by route " + other.route()
                        + "; route " + endpoint.route() + " may not claim it too");
            }
        }
        byRoute.put(endpoint.route(), endpoint);
    }

    public void unregister(String route) {
        byRoute.remove(route);
    }

    public List<Endpoint> all() {
        return List.copyOf(byRoute.values());
    }

    /** The endpoint serving this (lower-cased) path, if a route file declared one. */
    Optional<Endpoint> find(String path) {
        return byRoute.values().stream().filter(endpoint -> endpoint.matches(path)).findFirst();
    }

    /** "/hooks/{name}" matches "/hooks/anything"; a trailing slash is optional. Compared in lower case. */
    private static Pattern pattern(String path) {
        String regex = Pattern.quote(path.toLowerCase(Locale.ROOT).replaceAll("/+$", ""))
                .replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
        return Pattern.compile(regex + "/?");
    }
}
