package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Keeps a {@link GroupCommit}'s writer busy until {@code release}: what is queued meanwhile goes in one transaction. */
final class HeldWriter {

    private HeldWriter() {
    }

    /** Returns once the writer runs the holding work; its future completes after the release. */
    static CompletableFuture<Void> hold(GroupCommit commits, CountDownLatch release) {
        CountDownLatch running = new CountDownLatch(1);
        CompletableFuture<Void> held = commits.submit(List.of(), c -> {
            running.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        try {
            assertTrue(running.await(10, TimeUnit.SECONDS), "the writer took the holding work");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return held;
    }
}
