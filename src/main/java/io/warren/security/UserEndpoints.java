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

        boolean matches(String requestMethod, String requestPath) {
            return serves(requestMethod) && pattern(path).matcher(requestPath).matches();
        }

        /** null: any method (platform-http without a restriction); HEAD is answered by a GET route. */
        private boolean serves(String requestMethod) {
            return method == null || method.equals(requestMethod) || (method.equals("GET") && "HEAD".equals(requestMethod));
        }

        private boolean sharesAMethodWith(Endpoint other) {
            return method == null || other.method == null || method.equals(other.method);
        }
    }

    private final Map<String, Endpoint> byRoute = new ConcurrentSkipListMap<>();

    /**
     * Refuses a path another route serves already for a method they share, naming that route. Paths
     * that one request could match are refused too ({@code /hooks/{name}} and {@code /hooks/github}):
     * the HTTP server hands such a request to the route that started first, so which route runs, and
     * which role the guard asks for, would hang on start order.
     */
    public synchronized void register(Endpoint endpoint) {
        for (Endpoint other : byRoute.values()) {
            if (other.route().equals(endpoint.route()) || !other.sharesAMethodWith(endpoint)) {
                continue;
            }
            if (other.path().equalsIgnoreCase(endpoint.path())) {
                throw new IllegalStateException("path " + endpoint.path() + " is already served by route " + other.route()
                        + "; route " + endpoint.route() + " may not claim it too");
            }
            if (overlap(other.path(), endpoint.path())) {
                throw new IllegalStateException("path " + endpoint.path() + " of route " + endpoint.route() + " and path "
                        + other.path() + " of route " + other.route() + " can match the same request, and which route "
                        + "got it would depend on which started first; give them paths that cannot both match");
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

    /** The endpoint serving this method and (lower-cased) path, if a route file declared one: at most one can. */
    Optional<Endpoint> find(String method, String path) {
        return byRoute.values().stream().filter(endpoint -> endpoint.matches(method, path)).findFirst();
    }

    /** Whether one request path can match both: segment by segment, equal or matched by the other's template. */
    static boolean overlap(String a, String b) {
        String[] left = segments(a);
        String[] right = segments(b);
        if (left.length != right.length) {
            return false;
        }
        for (int i = 0; i < left.length; i++) {
            if (!segmentsOverlap(left[i], right[i])) {
                return false;
            }
        }
        return true;
    }

    private static String[] segments(String path) {
        return path.toLowerCase(Locale.ROOT).replaceAll("/+$", "").split("/", -1);
    }

    /**
     * Segments with a template ({name}, {name}.json) overlap when the literal one matches the
     * other's template; two templated ones unless their text before the first template or after
     * the last tells them apart ({a}.json and {b}.xml do not overlap).
     */
    private static boolean segmentsOverlap(String x, String y) {
        boolean xTemplated = x.contains("{");
        boolean yTemplated = y.contains("{");
        if (!xTemplated && !yTemplated) {
            return x.equals(y);
        }
        if (xTemplated != yTemplated) {
            return pattern(xTemplated ? x : y).matcher(xTemplated ? y : x).matches();
        }
        String xHead = x.substring(0, x.indexOf('{'));
        String yHead = y.substring(0, y.indexOf('{'));
        String xTail = x.substring(x.lastIndexOf('}') + 1);
        String yTail = y.substring(y.lastIndexOf('}') + 1);
        return (xHead.startsWith(yHead) || yHead.startsWith(xHead)) && (xTail.endsWith(yTail) || yTail.endsWith(xTail));
    }

    /** "/hooks/{name}" matches "/hooks/anything"; a trailing slash is optional. Compared in lower case. */
    private static Pattern pattern(String path) {
        String regex = Pattern.quote(path.toLowerCase(Locale.ROOT).replaceAll("/+$", ""))
                .replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
        return Pattern.compile(regex + "/?");
    }
}
