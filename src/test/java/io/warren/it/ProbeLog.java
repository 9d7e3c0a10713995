package io.warren.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads what {@link RecordingHandler} wrote: one line per START, DONE or FAIL of an attempt. */
public record ProbeLog(List<String[]> lines) {

    public static ProbeLog read(Path dataDir) throws IOException {
        Path file = dataDir.resolve("probe.log");
        if (!Files.exists(file)) {
            return new ProbeLog(List.of());
        }
        return new ProbeLog(Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> l.split(" ")).toList());
    }

    public long count(String what, String jobId) {
        return lines.stream().filter(l -> l[0].equals(what) && l[1].equals(jobId)).count();
    }

    public long count(String what) {
        return lines.stream().filter(l -> l[0].equals(what)).count();
    }

    /** The time of each START of the job, in order. */
    public List<Long> starts(String jobId) {
        return lines.stream().filter(l -> l[0].equals("START") && l[1].equals(jobId)).map(l -> Long.parseLong(l[3])).toList();
    }
}
