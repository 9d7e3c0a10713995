package io.warren.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins, counted per client address and per user name in a fixed window: past the limit,
 * that address or name gets 429 until the window ends, whatever it sends. Guessing passwords or
 * keys then costs a window per few tries. Bounded: expired windows are dropped as new ones come.
 */
public class LoginThrottle {

    private static final int MAX_TRACKED = 10_000;

    private record Window(long startNanos, int failures) {
    }

    private final int maxFailures;
    private final long windowNanos;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** @param maxFailures per window; 0 turns throttling off */
    public LoginThrottle(int maxFailures, Duration window) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
    }

    /** Seconds until {@code who} may try again; 0 when it may now. */
    public long secondsToWait(String who) {
        Window window = windows.get(who);
        long now = System.nanoTime();
        if (maxFailures <= 0 || window == null || window.failures() < maxFailures || now - window.startNanos() >= windowNanos) {
            return 0;
        }
        return Math.max(1, (window.startNanos() + windowNanos - now + 999_999_999L) / 1_000_000_000L);
    }

    /** Counts a failure; true when it just reached the limit (worth one log line). */
    public boolean failed(String who) {
        if (maxFailures <= 0) {
            return false;
        }
        long now = System.nanoTime();
        if (windows.size() > MAX_TRACKED) {
            windows.values().removeIf(w -> now - w.startNanos() >= windowNanos);
        }
        Window updated = windows.compute(who, (key, window) -> window == null || now - window.startNanos() >= windowNanos
                ? new Window(now, 1) : new Window(window.startNanos(), window.failures() + 1));
        return updated.failures() == maxFailures;
    }
}
