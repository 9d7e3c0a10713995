package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A warren killed with SIGKILL leaves nothing in the temporary folder that a clean stop would have
 * removed. Vert.x used to make a vertx-cache-* folder there at every start, deleted only by a
 * shutdown hook. The warren gets a temporary folder of its own (java.io.tmpdir, inside its data
 * folder) so that nothing else on the machine can put a file there meanwhile.
 */
class TempFilesIT {

    @Test
    void aKilledWarrenLeavesNoVertxCacheFolder() throws Exception {
        try (WarrenProcess warren = WarrenProcess.create(List.of("echo.yaml"), Map.of())) {
            Path tmp = Files.createDirectories(warren.data().resolve("tmp"));
            warren.override(Map.of("java.io.tmpdir", tmp.toString())).launch();
            warren.awaitReady();
            // what is served: the dashboard page, the OpenAPI document, a job
            assertEquals(200, warren.get("/ui").statusCode());
            assertEquals(200, warren.get("/api/v1/openapi.json").statusCode());
            assertEquals(202, warren.post("echo", "{}").statusCode());
            warren.kill9();

            try (Stream<Path> left = Files.list(tmp)) {
                assertEquals(List.of(), left.map(p -> p.getFileName().toString()).filter(name -> name.startsWith("vertx-cache")).toList());
            }
        }
    }
}
