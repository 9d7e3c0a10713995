package io.warren.security;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which role a request needs, in one place: submitting a job needs {@code submit}; reading anything
 * under /api needs {@code read}, except dead letters (admin); every other change under /api
 * needs {@code admin}. The dashboard page (/ui) holds no data and is open, as is health; metrics
 * are open unless configured otherwise. Anything new under /api is protected by default. An endpoint
 * a route file declares needs the role its file names ({@link UserEndpoints}).
 */
public final class AccessPolicy {

    /** warren's own paths, each with all below it. */
    static final List<String> OWN_PATHS = List.of("/api", "/ui", "/observe");

    private static final Pattern SUBMIT = Pattern.compile("/api/v1/jobs/[^/]+(/batch)?/?");

    private final boolean metricsOpen;
    private final UserEndpoints endpoints;

    public AccessPolicy(boolean metricsOpen, UserEndpoints endpoints) {
        this.metricsOpen = metricsOpen;
        this.endpoints = endpoints;
    }

    /**
     * The role the request needs, or empty when it is open to anyone. Decided on the path in lower
     * case: Camel's REST DSL matches operations ignoring case, so /api/v1/Dead-Letters must need
     * what /api/v1/dead-letters needs.
     */
    public Optional<Role> required(String method, String givenPath) {
        String path = givenPath.toLowerCase(Locale.ROOT);
        boolean reading = method.equals("GET"); // a HEAD comes here as its GET (HttpFront reroutes it first)
        if ((path.equals("/api/v1/openapi.json") || path.equals("/api/v1/openapi-endpoints.json")) && reading) {
            return Optional.empty();
        }
        if (path.startsWith("/api/v1/dead-letters") || (path.startsWith("/api/v1") && !path.startsWith("/api/v1/"))) {
            return Optional.of(Role.ADMIN); // payloads and failures of other people's jobs
        }
        if (path.startsWith("/api/") || path.equals("/api")) {
            if (method.equals("POST") && SUBMIT.matcher(path).matches()) {
                return Optional.of(Role.SUBMIT);
            }
            return Optional.of(reading ? Role.READ : Role.ADMIN);
        }
        if (path.equals("/ui") && reading) {
            return Optional.empty(); // the page's code only: all it shows comes from /api, with a credential
        }
        if (under(path, "/ui")) {
            return Optional.of(reading ? Role.READ : Role.ADMIN);
        }
        if (under(path, "/observe/metrics") && !metricsOpen) {
            return Optional.of(Role.READ);
        }
        if (under(path, "/observe")) {
            return Optional.empty();
        }
        return endpoints.required(method, path);
    }

    /** The path is this one or below it: /ui/app.js is, /uikit is not (a route file may serve that). */
    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** A path of warren's own (/api, /ui, /observe, or below one), in any case: no route file may serve one. */
    public static boolean warrensOwn(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return OWN_PATHS.stream().anyMatch(own -> under(lower, own));
    }

    /** Below /observe, in any case: open to anyone (health, metrics), and warren serves no route of its own there. */
    public static boolean observing(String path) {
        return under(path.toLowerCase(Locale.ROOT), "/observe");
    }
}
