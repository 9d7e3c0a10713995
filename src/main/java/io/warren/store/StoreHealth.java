package io.warren.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The job database's health from a probe once a second on a thread of its own: readiness answers
 * from the last probe, and the intake refuses at once (503) while the last probe failed. Workers
 * keep trying on their own (a job finishing meanwhile is recorded later).
 *
 * <p>The probe keeps a connection of its own, outside the pool: a borrow from the pool waits up to
 * the pool's connection timeout (5 s) for a database that is away, and fails for one that answers
 * when the pool is only busy. Its own connection says which, within {@value #TIMEOUT_SECONDS} s.
 */
public final class StoreHealth implements AutoCloseable {

    static final int TIMEOUT_SECONDS = 2;

    private final HikariDataSource pool;
    private final ScheduledExecutorService prober = DaemonTimer.named("warren-store-probe");
    /** The probe's own connection; only the prober thread touches it, null until opened or after a failure. */
    private Connection connection;
    /** Why the last probe failed; null while the database answers. */
    private volatile String down;

    StoreHealth(HikariDataSource pool) {
        this.pool = pool;
    }

    public static StoreHealth start(HikariDataSource pool, Duration period) {
        StoreHealth health = new StoreHealth(pool);
        health.prober.scheduleWithFixedDelay(health::probe, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return health;
    }

    void probe() {
        try {
            if (connection == null) {
                connection = open();
            }
            if (connection.isValid(TIMEOUT_SECONDS)) {
                down = null;
                return;
            }
            down = "the connection did not answer within " + TIMEOUT_SECONDS + " s";
        } catch (SQLException | RuntimeException e) {
            down = e.getMessage();
        }
        closeConnection(); // the next probe opens a new one
    }

    /** A connection as the pool's, with the same short deadline on connecting and logging in. */
    private Connection open() throws SQLException {
        Properties properties = new Properties();
        if (pool.getUsername() != null) {
            properties.setProperty("user", pool.getUsername());
        }
        if (pool.getPassword() != null) {
            properties.setProperty("password", pool.getPassword());
        }
        if (Database.isPostgres(pool.getJdbcUrl())) {
            properties.setProperty("connectTimeout", String.valueOf(TIMEOUT_SECONDS));
            properties.setProperty("loginTimeout", String.valueOf(TIMEOUT_SECONDS));
        }
        return DriverManager.getConnection(pool.getJdbcUrl(), properties);
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // already broken: nothing to give back
            }
            connection = null;
        }
    }

    /** Returns at once: fine while the last probe answered, a {@link StoreUnavailable} otherwise. */
    public void requireUp() {
        String why = down;
        if (why != null) {
            throw new StoreUnavailable("Job database is unreachable (last probe: " + why + ")", null);
        }
    }

    /** Waits for a probe running now, if one is, then closes the probe's connection. */
    @Override
    public void close() {
        DaemonTimer.stopAfterRun(prober, Duration.ofSeconds(TIMEOUT_SECONDS + 1));
        closeConnection();
    }
}
