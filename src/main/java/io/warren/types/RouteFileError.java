package io.warren.types;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.model.EndpointRequiredDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;

/**
 * Why a route file did not load, in words a user can act on. Camel wraps the real cause (a YAML
 * syntax error with its line and column, a class that is not there, a job type claimed twice) in
 * "Error pre-parsing resource" and similar: the chain's messages are kept, outermost first, with
 * the wrappers that say nothing dropped, and a route named in them is given its file. A route that
 * was read but could not be created or started is given its line too: the line of the endpoint
 * Camel could not resolve (an unknown option, a misspelt component), else of the route's {@code from}
 * when its consumer did not start (warren's own option checks), else of the route.
 */
final class RouteFileError {

    private static final int MAX_CHARS = 2000;
    private static final Pattern STARTING = Pattern.compile("^Failed to start route: .+? because: (?=.)");

    private RouteFileError() {
    }

    /** @param definitions the route of an id, while the failed file's routes are still defined (null when gone) */
    static String describe(Throwable failure, Map<Path, Set<String>> routesByFile, Function<String, RouteDefinition> definitions) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = failure; t != null && parts.size() < 6; t = t.getCause() == t ? null : t.getCause()) {
            String text = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
            String message = t instanceof ClassNotFoundException ? "class not found: " + text : text;
            if (!message.isEmpty() && parts.stream().noneMatch(p -> p.contains(message))) {
                parts.removeIf(message::contains);
                parts.add(message);
            }
        }
        String why = String.join(": ", parts);
        for (Map.Entry<Path, Set<String>> file : routesByFile.entrySet()) {
            for (String route : file.getValue()) {
                if (why.contains("route " + route + ";")) {
                    why = why.replace("route " + route + ";", "route " + route + " of " + file.getKey().getFileName() + ";");
                }
            }
        }
        int line = lineOf(failure, definitions);
        if (line > 0) {
            // the line and the file name the route: Camel's "Failed to start route: X because:" says nothing more
            why = "line " + line + ": " + STARTING.matcher(why).replaceFirst("");
        }
        return why.length() > MAX_CHARS ? why.substring(0, MAX_CHARS) + "…" : why;
    }

    /** The line in its file of what failed (see the class comment); 0 when the failure names no route of a file. */
    static int lineOf(Throwable failure, Function<String, RouteDefinition> definitions) {
        String routeId = routeOf(failure);
        RouteDefinition route = routeId == null ? null : definitions.apply(routeId);
        if (route == null) {
            return 0;
        }
        String uri = null;
        boolean notStarted = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            notStarted |= t instanceof FailedToStartRouteException;
            if (uri == null && t instanceof ResolveEndpointFailedException unresolved) {
                uri = unresolved.getUri();
            }
        }
        int from = route.getInput() == null ? 0 : route.getInput().getLineNumber();
        if (uri != null) {
            String wanted = endpoint(uri);
            if (from > 0 && endpoint(route.getInput().getEndpointUri()).equals(wanted)) {
                return from;
            }
            int line = lineOf(route.getOutputs(), wanted);
            if (line > 0) {
                return line;
            }
        }
        return notStarted && from > 0 ? from : Math.max(route.getLineNumber(), 0);
    }

    /** The route Camel could not create or start; null when the failure names none. */
    static String routeOf(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FailedToCreateRouteException created && created.getRouteId() != null) {
                return created.getRouteId();
            }
            if (t instanceof FailedToStartRouteException started && started.getRouteId() != null) {
                return started.getRouteId();
            }
        }
        return null;
    }

    private static int lineOf(List<ProcessorDefinition<?>> steps, String wanted) {
        for (ProcessorDefinition<?> step : steps) {
            if (step instanceof EndpointRequiredDefinition sends && sends.getEndpointUri() != null
                    && endpoint(sends.getEndpointUri()).equals(wanted) && step.getLineNumber() > 0) {
                return step.getLineNumber();
            }
            int nested = lineOf(step.getOutputs(), wanted);
            if (nested > 0) {
                return nested;
            }
        }
        return 0;
    }

    /** Scheme and path, as Camel writes them in an error ("warren://work:x") and a route file ("warren:work:x?..."). */
    private static String endpoint(String uri) {
        return uri == null ? "" : uri.split("\\?", 2)[0].replaceFirst("^([A-Za-z0-9+.-]+):/*", "$1:");
    }
}
