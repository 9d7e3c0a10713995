package io.warren.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.TreeSet;

/**
 * Request bodies that act on jobs (a bulk replay, a fleet command) are read strictly: a field the
 * API does not know is a 400 naming it, never ignored, so a typo cannot change what a call does.
 */
public final class KnownFields {

    private KnownFields() {
    }

    /** @param what how the message names the object, e.g. "the command" or "args" */
    public static void require(JsonNode node, Set<String> allowed, String what) {
        node.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw new ApiError(400, "unknown_field", "Unknown field '" + name + "' in " + what + "; allowed: "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        });
    }
}
