package io.warren.store;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The job database's health from a probe once a second on a thread of its own, so that neither
 * readiness nor a client waits out the pool's connection timeout (5 s) while the database is
 * away: readiness answers from the last probe, and the intake refuses at once (503) while the
 * last probe failed. Workers keep trying on their own (a job finishing meanwhile is recorded later).
 */
public final class StoreHealth implements AutoCloseable {

    private final DataSource dataSource;
    private final ScheduledExecutorService prober = DaemonTimer.named("warren-store-probe");
    /** Why the last probe failed; null while the database answers. */
    private volatile String down;

    private StoreHealth(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static StoreHealth start(DataSource dataSource, Duration period) {
        StoreHealth health = new StoreHealth(dataSource);
        health.prober.scheduleWithFixedDelay(health::probe, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return health;
    }

    void probe() {
        try {
            down = Transactions.run(dataSource, c -> c.isValid(2)) ? null : "the connection did not answer within 2 s";
        } catch (RuntimeException e) {
            down = e.getMessage();
        }
    }

    /** Returns at once: fine while the last probe answered, a {@link StoreUnavailable} otherwise. */
    public void requireUp() {
        String why = down;
        if (why != null) {
            throw new StoreUnavailable("Job database is unreachable (last probe: " + why + ")", null);
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
