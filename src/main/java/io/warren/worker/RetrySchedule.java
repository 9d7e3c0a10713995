package io.warren.worker;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Exponential back-off: after failed attempt n (from 1), wait initial × multiplier^(n-1), at most
 * the cap, while n ≤ retries. The distinct waits are the type's delay tiers, one retry queue each.
 */
public record RetrySchedule(int retries, long initialDelayMillis, double multiplier, long maxDelayMillis) {

    public RetrySchedule {
        if (retries < 0 || initialDelayMillis < 0 || multiplier < 1 || maxDelayMillis < 0) {
            throw new IllegalArgumentException("retries, initialDelayMillis and maxDelayMillis must be 0 or more and "
                    + "multiplier 1 or more (got retries=" + retries + ", initialDelayMillis=" + initialDelayMillis
                    + ", multiplier=" + multiplier + ", maxDelayMillis=" + maxDelayMillis + ")");
        }
    }

    /** Whether a job whose attempt {@code attempt} just failed gets another. */
    public boolean retriesAfter(int attempt) {
        return attempt <= retries;
    }

    /** The wait after failed attempt {@code attempt}. */
    public long delayAfter(int attempt) {
        double delay = initialDelayMillis * Math.pow(multiplier, Math.max(0, attempt - 1));
        return (long) Math.min(delay, maxDelayMillis);
    }

    /** Every distinct wait, shortest first. */
    public List<Long> tiers() {
        return IntStream.rangeClosed(1, retries).mapToObj(this::delayAfter).distinct().sorted().toList();
    }
}
