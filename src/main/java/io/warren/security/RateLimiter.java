package io.warren.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Requests per second per credential, as token buckets; a rate of 0 turns it off. */
public class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double perSecond, double burst) {
        this.perSecond = perSecond;
        this.burst = Math.max(burst, 1);
    }

    /** 0 when the request may go; otherwise the seconds to wait before the next one would. */
    public long secondsToWait(String who) {
        if (perSecond <= 0) {
            return 0;
        }
        double[] bucket = buckets.computeIfAbsent(who, k -> new double[] {burst, System.nanoTime()});
        synchronized (bucket) {
            long now = System.nanoTime();
            bucket[0] = Math.min(burst, bucket[0] + (now - bucket[1]) / 1e9 * perSecond);
            bucket[1] = now;
            if (bucket[0] >= 1) {
                bucket[0] -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - bucket[0]) / perSecond);
        }
    }
}
