package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's processor: compiled apart from warren, dropped as a jar into the plugins folder, named
 * in a job type file, configured by a setter. No rebuild of warren.
 */
class PluginIT {

    private static final String SOURCE = """
            package com.acme;

            import io.warren.api.Job;
            import io.warren.api.JobHandler;
            import java.nio.file.*;

            public class Greeter implements JobHandler {
                private String greeting = "Hello";
                private String outbox;

                public void setGreeting(String greeting) { this.greeting = greeting; }
                public void setOutbox(String outbox) { this.outbox = outbox; }

                @Override
                public void handle(Job job) throws Exception {
                    String line = greeting + ", " + job.payload().path("name").asText() + "!\\n";
                    Files.writeString(Path.of(outbox), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            }
            """;

    private static final String ROUTE = """
            - beans:
                - name: greeter
                  type: com.acme.Greeter
                  properties:
                    greeting: Bonjour
                    outbox: "{{warren.data.dir}}/greetings.txt"
            - route:
                id: work-greet
                from:
                  uri: warren:work:greet
                  steps:
                    - to: warren:handle:greeter
            """;

    @Test
    void handlerFromAPluginJarRunsJobs(@TempDir Path work) throws Exception {
        Path plugins = Files.createDirectory(work.resolve("plugins"));
        buildPluginJar(work, plugins.resolve("greeter.jar"));
        // the plugin must not be on warren's own class path: the child gets it from the plugins folder only
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of("warren.plugins.dir", plugins.toString()))) {
            Files.writeString(warren.routes().resolve("greet.yaml"), ROUTE);
            Await.until("type 'greet' live", Duration.ofSeconds(20),
                    () -> warren.post("greet", "{\"name\": \"Ada\"}").statusCode() == 202);

            Path outbox = warren.data().resolve("greetings.txt");
            Await.until("greeting written", Duration.ofSeconds(20),
                    () -> Files.exists(outbox) && Files.readString(outbox).endsWith("\n"));
            assertEquals("Bonjour, Ada!", Files.readString(outbox).lines().findFirst().orElseThrow());
            try (Amqp amqp = new Amqp(TestBroker.url())) {
                amqp.deleteQueue(warren.workQueue("greet"));
                amqp.deleteQueue(warren.deadQueue("greet"));
            }
        }
    }

    private static void buildPluginJar(Path work, Path jar) throws Exception {
        Path src = Files.createDirectory(work.resolve("greeter-src"));
        Path classes = Files.createDirectory(work.resolve("greeter-classes"));
        Path file = src.resolve("com/acme/Greeter.java");
        Files.createDirectories(file.getParent());
        Files.writeString(file, SOURCE);
        int result = ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "-cp", System.getProperty("java.class.path"), "-d", classes.toString(), file.toString());
        assertEquals(0, result, "plugin compiles against warren's API");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            Path compiled = classes.resolve("com/acme/Greeter.class");
            out.putNextEntry(new JarEntry("com/acme/Greeter.class"));
            Files.copy(compiled, out);
            out.closeEntry();
        }
    }

    private static final String BASE64_ROUTE = """
            - route:
                id: base64-probe
                from:
                  uri: timer:base64
                  parameters:
                    repeatCount: 1
                  steps:
                    - setBody:
                        constant: warren
                    - marshal:
                        base64: {}
                    - log: "base64: ${body}"
            """;

    /** The README's way to add a component: bin/add-plugin with its Maven coordinate, then a route file uses it. */
    @Test
    void aComponentAddedByItsMavenCoordinateWorksInARouteFile(@TempDir Path plugins) throws Exception {
        Process add = new ProcessBuilder("bin/add-plugin", "org.apache.camel:camel-base64:4.17.0", plugins.toString())
                .redirectErrorStream(true).start();
        String output = new String(add.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(add.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), output);
        assertEquals(0, add.exitValue(), output);
        try (var jars = Files.list(plugins)) {
            // camel-base64 only: what it needs (camel-support, commons-codec) is in warren's jar already
            assertEquals(List.of("camel-base64-4.17.0.jar"), jars.map(jar -> jar.getFileName().toString()).toList(), output);
        }
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of("warren.plugins.dir", plugins.toString()))) {
            Files.writeString(warren.routes().resolve("base64.yaml"), BASE64_ROUTE);
            Await.until("the base64 route ran", Duration.ofSeconds(30), () -> warren.log().contains("base64: d2FycmVu"));
        }
    }
}
