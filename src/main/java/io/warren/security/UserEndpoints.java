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

        /** method null: any (platform-http without a restriction); else one or several, comma-separated. Exact, as the server matches. */
        boolean serves(String requestMethod) {
            return method == null || List.of(method.split(",")).contains(requestMethod);
        }

        private boolean sharesAMethodWith(Endpoint other) {
            return method == null || other.method == null || List.of(method.split(",")).stream().anyMatch(other::serves);
        }
    }

    /** A Vert.x path parameter, ":name", anywhere in the path (Camel writes {name} as :name; /jobs/{id}:cancel has two). */
    private static final Pattern PARAMETER = Pattern.compile(":[a-z][a-z0-9_]*");

    /** An endpoint with its path compiled once: the guard matches it on every request outside warren's own paths. */
    private record Registered(Endpoint endpoint, Pattern pattern) {

        boolean matches(String requestPath) {
            return pattern.matcher(requestPath).matches();
        }
    }

    private final Map<String, Registered> byRoute = new ConcurrentSkipListMap<>();

    /**
     * Refuses a path another route serves already for a method they share, naming that route. Paths
     * that one request could match are refused too ({@code /hooks/{name}} and {@code /hooks/github}):
     * the HTTP server hands such a request to the route that started first, so which route runs, and
     * which role the guard asks for, would hang on start order.
     */
    public synchronized void register(Endpoint endpoint) {
        for (String own : AccessPolicy.OWN_PATHS) {
            if (overlap(endpoint.path(), own + "/*")) {
                // the guard decides warren's own paths by its own rules (/observe is open)
                throw new IllegalStateException("path " + endpoint.path() + " of route " + endpoint.route() + " can match "
                        + "requests for warren's own " + own + "; a route file serves outside /api, /ui and /observe");
            }
        }
        for (Registered registered : byRoute.values()) {
            Endpoint other = registered.endpoint();
            if (other.route().equals(endpoint.route()) || !other.sharesAMethodWith(endpoint)) {
                continue;
            }
            if (other.path().equalsIgnoreCase(endpoint.path())) {
                throw new IllegalStateException("path " + endpoint.path() + " is already served by route " + other.route()
                        + "; route " + endpoint.route() + " may not claim it too");
            }
            if (overlap(other.path(), endpoint.path())) {
                throw new IllegalStateException("path " + endpoint.path() + " of route " + endpoint.route() + " can match "
                        + "the same requests as path " + other.path() + " of route " + other.route() + "; which route got "
                        + "such a request would depend on which started first: give them paths that cannot both match");
            }
        }
        byRoute.put(endpoint.route(), new Registered(endpoint, pattern(endpoint.path())));
    }

    public void unregister(String route) {
        byRoute.remove(route);
    }

    public List<Endpoint> all() {
        return byRoute.values().stream().map(Registered::endpoint).toList();
    }

    /**
     * The role a request to a path a route file declared needs: that of the route serving its
     * method (at most one can), else admin, so that a method a route serves after all is never
     * open by mistake (the server answers 404 to the rest). Empty: no route file declared the path,
     * or the route serving it is open.
     */
    Optional<Role> required(String method, String path) {
        List<Endpoint> matching = byRoute.values().stream().filter(registered -> registered.matches(path))
                .map(Registered::endpoint).toList();
        if (matching.isEmpty()) {
            return Optional.empty();
        }
        return matching.stream().filter(endpoint -> endpoint.serves(method)).findFirst()
                .map(endpoint -> Optional.ofNullable(endpoint.role())).orElse(Optional.of(Role.ADMIN));
    }

    /**
     * Whether one request path can match both: segment by segment, equal or matched by the other's
     * template; with a trailing wildcard, whenever the text before the first template or wildcard of
     * one starts with the other's.
     */
    static boolean overlap(String a, String b) {
        if (a.endsWith("*") || b.endsWith("*")) {
            String other = a.endsWith("*") ? b : a;
            if (literalHead(other).length() == other.replaceAll("/+$", "").length()) {
                return pattern(a.endsWith("*") ? a : b).matcher(other.toLowerCase(Locale.ROOT)).matches(); // one path only
            }
            String x = literalHead(a);
            String y = literalHead(b);
            return covers(x, a, y) || covers(y, b, x);
        }
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

    /** Whether a path whose text before its first template or wildcard is {@code head} can begin with {@code other}'s. */
    private static boolean covers(String head, String path, String other) {
        if (!other.startsWith(head)) {
            return false;
        }
        // "/files/*" is "/files" and what lies below it, not "/filesystem"; "/files*" is both
        boolean slashWildcard = path.endsWith("/*") && path.indexOf('{') < 0 && !PARAMETER.matcher(path.toLowerCase(Locale.ROOT)).find();
        return !slashWildcard || other.length() == head.length() || other.charAt(head.length()) == '/';
    }

    private static String literalHead(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        int cut = lower.length();
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c == '{' || c == '*' || (c == ':' && i + 1 < lower.length() && Character.isLetter(lower.charAt(i + 1)))) {
                cut = i;
                break;
            }
        }
        return lower.substring(0, cut).replaceAll("/+$", "");
    }

    /** The path's segments in lower case, each Vert.x :name written as {name}. */
    private static String[] segments(String path) {
        String[] segments = path.toLowerCase(Locale.ROOT).replaceAll("/+$", "").split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            segments[i] = PARAMETER.matcher(segments[i]).replaceAll(parameter -> "{" + parameter.group().substring(1) + "}");
        }
        return segments;
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

    /**
     * The paths the HTTP server (Vert.x) gives the route, in lower case, or more: "/hooks/{name}"
     * and "/hooks/:name" match "/hooks/anything" (every :name is a parameter, as Vert.x reads it), a
     * trailing slash is optional; "/files/*" matches "/files" and all below it, "/files*" all that
     * starts with "/files".
     */
    private static Pattern pattern(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        boolean prefix = lower.endsWith("*");
        String fixed = prefix ? lower.substring(0, lower.length() - 1) : lower;
        String below = prefix && fixed.endsWith("/") ? "(/.*)?" : prefix ? ".*" : "/?";
        String regex = Pattern.quote(fixed.replaceAll("/+$", ""))
                .replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q")
                .replaceAll(":[a-z][a-z0-9_]*", "\\\\E[^/]+\\\\Q");
        return Pattern.compile(regex + below);
    }
}
