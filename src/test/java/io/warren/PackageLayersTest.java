package io.warren;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package graph, as jdeps draws it from the compiled classes: each package may import only
 * packages of a lower layer, so there are no cycles and nothing reaches up. docs/architecture.md
 * shows the same layers.
 */
class PackageLayersTest {

    /** Layer of each package; a package imports only packages with a smaller number. */
    static final Map<String, Integer> LAYERS = Map.ofEntries(
            Map.entry("io.warren.api", 0),
            Map.entry("io.warren.observe", 0),
            Map.entry("io.warren.store", 1),
            Map.entry("io.warren.http", 2),
            Map.entry("io.warren.broker", 2),
            Map.entry("io.warren.security", 3),
            Map.entry("io.warren.types", 3),
            Map.entry("io.warren.publish", 3),
            Map.entry("io.warren.intake", 4),
            Map.entry("io.warren.worker", 4),
            Map.entry("io.warren.status", 4),
            Map.entry("io.warren.audit", 4),
            Map.entry("io.warren.ops", 4),
            Map.entry("io.warren.handlers", 4),
            Map.entry("io.warren.component", 5),
            Map.entry("io.warren.deadletter", 5),
            Map.entry("io.warren.fleet", 5),
            Map.entry("io.warren", 6));

    @Test
    void everyImportGoesDownALayer() {
        List<String> upward = new ArrayList<>();
        for (String[] edge : packageEdges()) {
            Integer from = LAYERS.get(edge[0]);
            Integer to = LAYERS.get(edge[1]);
            assertTrue(from != null && to != null, "Package without a layer in PackageLayersTest: " + String.join(" -> ", edge));
            if (to >= from) {
                upward.add(edge[0] + " (" + from + ") -> " + edge[1] + " (" + to + ")");
            }
        }
        assertEquals(List.of(), upward, "imports that do not go down a layer");
    }

    @Test
    void theHandlerContractImportsNothingOfWarrensRuntime() {
        List<String> imports = packageEdges().stream().filter(edge -> edge[0].equals("io.warren.api")).map(edge -> edge[1]).toList();
        assertEquals(List.of(), imports);
    }

    @Test
    void noClassOutgrowsTwoHundredFiftyLines() throws IOException {
        TreeSet<String> large = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                long lines = Files.readAllLines(file).size();
                if (lines > 260) {
                    large.add(file + " (" + lines + " lines)");
                }
            }
        }
        assertEquals(new TreeSet<>(), large, "split these by what they do");
    }

    /** Package-level dependencies between warren's own packages, from jdeps. */
    private static List<String[]> packageEdges() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException("jdeps is not in this JDK"));
        StringWriter out = new StringWriter();
        int code = jdeps.run(new PrintWriter(out), new PrintWriter(out), "-verbose:package", "-e", "io\\.warren(\\..*)?", "target/classes");
        assertEquals(0, code, out.toString());
        List<String[]> edges = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 3 && parts[1].equals("->") && parts[0].startsWith("io.warren") && !parts[0].equals(parts[2])) {
                edges.add(new String[] {parts[0], parts[2]});
            }
        }
        assertTrue(!edges.isEmpty(), "jdeps found no dependencies at all:\n" + out);
        return edges;
    }
}
