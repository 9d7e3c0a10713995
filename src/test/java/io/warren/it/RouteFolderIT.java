package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Job types come and go as files in the routes folder, with no restart; the other types keep running. */
class RouteFolderIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void addingEditingBreakingAndDeletingAJobTypeFile() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of())) {
            Path file = warren.routes().resolve("late.yaml");

            // a new file: the type goes live
            Files.writeString(file, Files.readString(Path.of("routes/echo.yaml")).replace("echo", "late"));
            Await.until("type 'late' live", Duration.ofSeconds(20), () -> warren.post("late", "{}").statusCode() == 202);
            String lateJob = JSON.readTree(warren.post("late", "{\"n\": 1}").body()).get("jobId").asText();
            Await.until("late job processed", Duration.ofSeconds(20), () -> warren.log().contains("echo job " + lateJob));

            // an edit replaces that file's routes: the type is renamed
            Files.writeString(file, Files.readString(file).replace("warren:work:late\n", "warren:work:later\n"));
            Await.until("type 'later' live", Duration.ofSeconds(20), () -> warren.post("later", "{}").statusCode() == 202);
            assertEquals(404, warren.post("late", "{}").statusCode());

            // a broken edit (written the safe way, by rename) leaves the previous version running
            Path broken = warren.routes().resolve("later.tmp");
            Files.writeString(broken, Files.readString(file) + "\n- route: [not, valid\n");
            Files.move(broken, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Await.until("the broken file reported", Duration.ofSeconds(20),
                    () -> warren.log().contains("Job type file late.yaml is invalid"));
            assertEquals(202, warren.post("later", "{}").statusCode());

            // the other types kept running through all of it
            String probeJob = JSON.readTree(warren.post("probe", "{}").body()).get("jobId").asText();
            Await.until("probe job done", Duration.ofSeconds(20), () -> ProbeLog.read(warren.data()).count("DONE", probeJob) == 1);

            // deleting the file removes the type
            Files.delete(file);
            Await.until("type 'later' gone", Duration.ofSeconds(20), () -> warren.post("later", "{}").statusCode() == 404);
            assertEquals(202, warren.post("probe", "{}").statusCode());
        }
    }

    @Test
    void aFileCopiedInSlowlyIsReadOnceWhole() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of())) {
            Path file = warren.routes().resolve("late.yaml");
            String content = Files.readString(Path.of("routes/echo.yaml")).replace("echo", "late");
            // created empty, then written in two parts, as cp or an editor may do
            Files.writeString(file, "");
            Files.writeString(file, content.substring(0, content.length() / 2));
            Files.writeString(file, content.substring(content.length() / 2), StandardOpenOption.APPEND);
            Await.until("type 'late' live", Duration.ofSeconds(20), () -> warren.post("late", "{}").statusCode() == 202);
            // once: loaded a single time, never reported broken half-written; whole: the type runs its jobs
            String log = warren.log();
            assertEquals(1, log.split("Job type file late.yaml loaded", -1).length - 1, log);
            assertTrue(!log.contains("Job type file late.yaml is invalid"), "read while half written");
            String job = JSON.readTree(warren.post("late", "{}").body()).get("jobId").asText();
            Await.until("late job run", Duration.ofSeconds(20), () -> warren.log().contains("echo job " + job));
        }
    }

    /** A second file may not take a live type or a route id; a broken file says why, with its line. */
    @Test
    void aFileClaimingALiveTypeOrRouteIsRefusedWholeAndBrokenFilesSayWhy() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(List.of("echo.yaml"), Map.of());
             Amqp amqp = new Amqp(TestBroker.url())) {
            String echo = Files.readString(Path.of("routes/echo.yaml"));
            // same type, another route id
            Files.writeString(warren.routes().resolve("echo-copy.yaml"), echo.replace("id: work-echo", "id: work-echo-copy"));
            Await.until("refused", Duration.ofSeconds(20), () -> warren.log().contains("Job type file echo-copy.yaml is invalid"));
            assertTrue(warren.log().contains("job type 'echo' is already live in route work-echo of echo.yaml"), "names both files");
            // same route id, another type: refused before loading, so work-echo is not even restarted
            Files.writeString(warren.routes().resolve("echo-twin.yaml"), echo.replace("warren:work:echo", "warren:work:twin"));
            Await.until("refused", Duration.ofSeconds(20), () -> warren.log().contains("Job type file echo-twin.yaml is refused whole"));
            assertEquals(404, warren.post("twin", "{}").statusCode());

            JsonNode listed = JSON.readTree(warren.get("/api/v1/types").body());
            assertEquals(1, listed.get("types").size(), listed.toString());
            assertEquals("work-echo", listed.get("types").get(0).get("route").asText());
            assertEquals(2, listed.get("invalidFiles").size(), listed.toString());

            // type control still acts on the real route: pause holds jobs, resume runs them
            assertEquals("PAUSED", JSON.readTree(warren.send("POST", "/api/v1/types/echo/pause", null).body()).get("workers").asText());
            String held = JSON.readTree(warren.post("echo", "{}").body()).get("jobId").asText();
            Await.until("held in the queue", Duration.ofSeconds(10), () -> amqp.depth(warren.workQueue("echo")) == 1);
            assertEquals(200, warren.send("POST", "/api/v1/types/echo/resume", null).statusCode());
            Await.until("run after resume", Duration.ofSeconds(20), () -> warren.log().contains("echo job " + held));

            // deleting the refused files leaves echo as it was
            Files.delete(warren.routes().resolve("echo-copy.yaml"));
            Files.delete(warren.routes().resolve("echo-twin.yaml"));
            Await.until("no invalid files", Duration.ofSeconds(20),
                    () -> JSON.readTree(warren.get("/api/v1/types").body()).get("invalidFiles").isEmpty());
            assertEquals(202, warren.post("echo", "{}").statusCode());

            // broken files say why: a YAML syntax error with its line, a class that is not there
            Files.writeString(warren.routes().resolve("syntax.yaml"), "- route:\n    id: x\n    from: [unclosed\n");
            Files.writeString(warren.routes().resolve("noclass.yaml"), echo.replace("io.warren.handlers.Echo", "io.warren.NoSuchHandler")
                    .replace("warren:work:echo", "warren:work:noclass").replace("id: work-echo", "id: work-noclass")
                    .replace("echoHandler", "noclassHandler"));
            Await.until("both reported", Duration.ofSeconds(20),
                    () -> JSON.readTree(warren.get("/api/v1/types").body()).get("invalidFiles").size() == 2);
            JsonNode invalid = JSON.readTree(warren.get("/api/v1/types").body()).get("invalidFiles");
            String noclass = invalid.get(0).get("error").asText();
            String syntax = invalid.get(1).get("error").asText();
            assertEquals("noclass.yaml", invalid.get(0).get("file").asText());
            assertTrue(noclass.contains("io.warren.NoSuchHandler"), noclass);
            assertTrue(syntax.contains("line"), syntax);
            assertTrue(warren.log().contains("Job type file syntax.yaml is invalid: ") && warren.log().contains(syntax), "logged the same");
            assertEquals(202, warren.post("echo", "{}").statusCode(), "echo untouched");
        }
    }

    /** A route that was read but cannot be created or started says the line of what is wrong, while warren runs and at its start. */
    @Test
    void routeErrorsNameTheLineOfTheOptionOrStepAtFault() throws Exception {
        String misspelt = """
                # line 1
                - route:
                    id: work-misspelt
                    from:
                      uri: warren:work:misspelt
                      parameters:
                        prefetchh: 3
                      steps:
                        - log: "never"
                """;
        String unknownStep = """
                - route:
                    id: work-unknown-step
                    from:
                      uri: warren:work:unknown-step
                      steps:
                        - log: "before"
                        - to: warren:nosuch:thing
                """;
        String badOption = """
                - route:
                    id: work-bad-option
                    from:
                      uri: warren:work:bad-option?queueVersion=3
                      steps:
                        - log: "never"
                """;
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of())) {
            Files.writeString(warren.routes().resolve("misspelt.yaml"), misspelt);
            Files.writeString(warren.routes().resolve("unknown-step.yaml"), unknownStep);
            Files.writeString(warren.routes().resolve("bad-option.yaml"), badOption);
            Await.until("all three reported", Duration.ofSeconds(20),
                    () -> JSON.readTree(warren.get("/api/v1/types").body()).get("invalidFiles").size() == 3);
            JsonNode invalid = JSON.readTree(warren.get("/api/v1/types").body()).get("invalidFiles");
            // sorted by file name
            assertError(invalid.get(0), "bad-option.yaml", "line 4: ", "queueVersion must be 1 or 2");
            assertError(invalid.get(1), "misspelt.yaml", "line 5: ", "prefetchh");
            assertError(invalid.get(2), "unknown-step.yaml", "line 7: ", "Unknown warren: endpoint 'nosuch'");
            assertEquals(202, warren.post("probe", "{}").statusCode(), "the other types run");
        }
        try (WarrenProcess warren = WarrenProcess.create(List.of("probe.yaml"), Map.of())) {
            Files.writeString(warren.routes().resolve("misspelt.yaml"), misspelt);
            warren.launch();
            assertTrue(warren.awaitExit(Duration.ofSeconds(60)) != 0, "exit status");
            String log = warren.log();
            assertTrue(log.contains("warren failed to start: Job type file misspelt.yaml is invalid: line 5: "), log);
        }
    }

    /** Two route files whose paths one request could match: the second is refused with its line, the first keeps serving. */
    @Test
    void aPathAnotherRouteCouldShadowIsRefusedWithItsLine() throws Exception {
        String anyHook = """
                - route:
                    id: hook-any
                    from:
                      uri: warren:http:/hooks/{name}
                      parameters:
                        role: admin
                      steps:
                        - setBody:
                            constant: any
                """;
        try (WarrenProcess warren = WarrenProcess.start(List.of("probe.yaml"), Map.of())) {
            Files.writeString(warren.routes().resolve("hook-any.yaml"), anyHook);
            Await.until("hook-any serves", Duration.ofSeconds(20), () -> warren.send("POST", "/hooks/x", "{}").statusCode() == 200);
            Files.writeString(warren.routes().resolve("hook-github.yaml"), anyHook.replace("hook-any", "hook-github")
                    .replace("/hooks/{name}", "/hooks/github").replace("role: admin", "role: open"));
            Files.writeString(warren.routes().resolve("hook-status.yaml"), anyHook.replace("hook-any", "hook-status")
                    .replace("/hooks/{name}", "/hooks/github").replace("role: admin", "role: read\n        httpMethod: GET"));
            // one method a route: a list would serve methods the guard does not know of
            Files.writeString(warren.routes().resolve("hook-list.yaml"), anyHook.replace("hook-any", "hook-list")
                    .replace("/hooks/{name}", "/lists/x").replace("role: admin", "role: admin\n        httpMethod: GET,POST"));
            Await.until("reported", Duration.ofSeconds(20),
                    () -> JSON.readTree(warren.get("/api/v1/types").body()).get("invalidFiles").size() == 2);
            JsonNode invalid = JSON.readTree(warren.get("/api/v1/types").body()).get("invalidFiles");
            assertError(invalid.get(0), "hook-github.yaml", "line 4: path /hooks/github of route hook-github can match the same "
                    + "requests as path /hooks/{name} of route hook-any of hook-any.yaml; which route", "");
            assertError(invalid.get(1), "hook-list.yaml", "line 4: ", "httpMethod must be one of GET, POST");

            // platform-http directly needs admin, below a wildcard too
            Files.writeString(warren.routes().resolve("raw-files.yaml"), """
                    - route:
                        id: raw-files
                        from:
                          uri: platform-http:/files/*
                          steps:
                            - setBody:
                                constant: file
                    """);
            Await.until("raw-files serves", Duration.ofSeconds(20), () -> warren.send("GET", "/files/a/b", null).statusCode() == 200);
            assertEquals(401, warren.send("GET", "/files/a/b", null, TestWarren.NO_AUTH, "").statusCode());

            // and so does the REST DSL, which warren's platform-http serves
            Files.writeString(warren.routes().resolve("shop.yaml"), """
                    - rest:
                        path: /shop
                        get:
                          - path: /items/{id}
                            to: direct:items
                    - route:
                        id: items
                        from:
                          uri: direct:items
                          steps:
                            - setBody:
                                simple: "item ${header.id}"
                    """);
            Await.until("the shop serves", Duration.ofSeconds(20), () -> warren.send("GET", "/shop/items/7", null).statusCode() == 200);
            assertEquals("item 7", warren.send("GET", "/shop/items/7", null).body());
            assertEquals(401, warren.send("GET", "/shop/items/7", null, TestWarren.NO_AUTH, "").statusCode());

            // warren's own paths are not a route file's to serve
            Files.writeString(warren.routes().resolve("own.yaml"), """
                    - route:
                        id: own
                        from:
                          uri: platform-http:/observe/mine
                          steps:
                            - setBody:
                                constant: mine
                    """);
            Await.until("refused", Duration.ofSeconds(20), () -> warren.log().contains("Job type file own.yaml is invalid: line 4: "
                    + "path /observe/mine of route own can match requests for warren's own /observe"));
            assertEquals(404, warren.send("GET", "/observe/mine", null).statusCode());
            Files.writeString(warren.routes().resolve("own-api.yaml"), """
                    - route:
                        id: own-api
                        from:
                          uri: platform-http:/api/v2/mine
                          steps:
                            - setBody:
                                constant: mine
                    """);
            Await.until("refused", Duration.ofSeconds(20), () -> warren.log().contains("Job type file own-api.yaml is invalid: line 4: "
                    + "path /api/v2/mine of route own-api can match requests for warren's own /api"));
            Await.until("hook-status serves", Duration.ofSeconds(20),
                    () -> warren.send("GET", "/hooks/github", null).statusCode() == 200);
            // the open route that was refused opened nothing: the path still needs hook-any's admin role
            assertEquals(401, warren.send("POST", "/hooks/github", "{}", TestWarren.NO_AUTH, "").statusCode());
            assertEquals("any", warren.send("POST", "/hooks/github", "{}").body());
        }
    }

    private static void assertError(JsonNode invalid, String file, String line, String why) {
        assertEquals(file, invalid.get("file").asText());
        String error = invalid.get("error").asText();
        assertTrue(error.startsWith(line) && error.contains(why), error);
    }
}
