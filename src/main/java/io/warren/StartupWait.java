package io.warren;

import io.warren.observe.Redact;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a start-up step (reaching the broker, the database) with back-off up to 30 s, logging each
 * failure, until it works or the timeout passes (zero or less: forever). Never hangs silently.
 */
public final class StartupWait {

    private static final Logger LOG = LoggerFactory.getLogger(StartupWait.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private StartupWait() {
    }

    public static void until(String what, Duration timeout, Runnable step) {
        long deadline = timeout.isZero() || timeout.isNegative() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        Duration backoff = Duration.ofMillis(500);
        for (int attempt = 1; ; attempt++) {
            try {
                step.run();
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() + backoff.toNanos() > deadline) {
                    throw new IllegalStateException(what + " is unreachable, gave up after " + attempt + " attempts: "
                            + rootMessage(e), e);
                }
                LOG.warn("{} is unreachable ({}); attempt {}, retrying in {} ms", what, rootMessage(e), attempt,
                        backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return Redact.passwords(root.getClass().getSimpleName() + ": " + root.getMessage());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during start-up", e);
        }
    }
}
