package io.warren.it;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Waits for an outcome instead of sleeping a guessed time (Awaitility, with the outcome named in the failure). */
public final class Await {

    private Await() {
    }

    public static void until(String what, Duration timeout, Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Timed out after " + timeout + " waiting for: " + what, e);
        }
    }

    /** Whether the condition came true within the timeout: for a test that sets up a race and tries again when it lost. */
    public static boolean within(Duration timeout, Callable<Boolean> condition) {
        try {
            until("", timeout, condition);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }
}
