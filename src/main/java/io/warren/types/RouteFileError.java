package io.warren.types;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why a route file did not load, in words a user can act on. Camel wraps the real cause (a YAML
 * syntax error with its line and column, a class that is not there, a job type claimed twice) in
 * "Error pre-parsing resource" and similar: the chain's messages are kept, outermost first, with
 * the wrappers that say nothing dropped, and a route named in them is given its file.
 */
final class RouteFileError {

    private static final int MAX_CHARS = 2000;

    private RouteFileError() {
    }

    static String describe(Throwable failure, Map<Path, Set<String>> routesByFile) {
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
        return why.length() > MAX_CHARS ? why.substring(0, MAX_CHARS) + "…" : why;
    }
}
