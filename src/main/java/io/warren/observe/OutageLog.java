package io.warren.observe;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One log line per broker outage instead of one per job: the first job the broker does not take
 * opens the outage (logged), the ones after it are counted, and the first confirm closes it with
 * the count. During an outage of minutes at hundreds of jobs a second, that is two lines, not a flood.
 */
public final class OutageLog {

    private final AtomicLong refused = new AtomicLong();

    /** Counts a job the broker did not take; true for the first of an outage (log it). */
    public boolean refused() {
        return refused.getAndIncrement() == 0;
    }

    /** The broker took a job: how many it had not taken since the outage began (0 when there was none). */
    public long recovered() {
        return refused.get() == 0 ? 0 : refused.getAndSet(0);
    }
}
