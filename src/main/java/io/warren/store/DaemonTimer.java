package io.warren.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The store's background tasks' timers: one named daemon thread each, so that no JVM exit waits for one. */
final class DaemonTimer {

    private DaemonTimer() {
    }

    static ScheduledExecutorService named(String threadName) {
        return Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * No further run, and the one running may end: not shutdownNow, whose interrupt would close
     * H2's file channel under a statement in the middle of it.
     */
    static void stopAfterRun(ScheduledExecutorService timer, Duration wait) {
        timer.shutdown();
        try {
            timer.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
