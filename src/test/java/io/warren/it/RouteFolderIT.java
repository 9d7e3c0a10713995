package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
            Files.writeString(file, Files.readString(file).replace("value: late\n", "value: later\n"));
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
        }
    }
}
