package io.warren.it;

import io.warren.api.Job;
import io.warren.api.JobHandler;
import io.warren.api.PermanentJobFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Test job handler: appends "START|DONE|FAIL jobId attempt millis" lines to a file, so a test can
 * count runs across process restarts. Payload: failAttempts, failWhile (a file), sleepMillis, permanent.
 */
public class RecordingHandler implements JobHandler {

    private Path file;

    public void setFile(String file) {
        this.file = Path.of(file);
    }

    @Override
    public void handle(Job job) throws Exception {
        record("START", job);
        long sleep = job.payload().path("sleepMillis").asLong(0);
        if (sleep > 0) {
            Thread.sleep(sleep);
        }
        if (job.payload().path("permanent").asBoolean(false)) {
            record("FAIL", job);
            throw new PermanentJobFailure("asked to fail permanently");
        }
        String failWhile = job.payload().path("failWhile").asText("");
        if (!failWhile.isEmpty() && Files.exists(Path.of(failWhile))) {
            record("FAIL", job);
            throw new IllegalStateException("probe fails while " + failWhile + " exists");
        }
        if (job.attempt() <= job.payload().path("failAttempts").asInt(0)) {
            record("FAIL", job);
            throw new IllegalStateException("probe fails attempt " + job.attempt());
        }
        record("DONE", job);
    }

    private synchronized void record(String what, Job job) throws IOException {
        Files.writeString(file, what + " " + job.id() + " " + job.attempt() + " " + System.currentTimeMillis() + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
