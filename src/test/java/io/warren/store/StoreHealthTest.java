package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's health probe on a connection of its own: a pool with no connection free is not a
 * database away, and a database that cannot be reached is reported with its own reason. The first
 * runs on an embedded H2 file; the second on a PostgreSQL URL whose port nothing listens on (no
 * server needed).
 */
class StoreHealthTest {

    @TempDir
    Path data;

    @Test
    void aPoolWithEveryConnectionBusyIsNotADatabaseAway() throws Exception {
        try (HikariDataSource pool = Database.pool(Database.url(null, data.toString()), "", "", 1);
             Connection busy = pool.getConnection()) {
            StoreHealth health = new StoreHealth(pool);
            try {
                health.probe();
                assertDoesNotThrow(health::requireUp, "the database answers; only the pool is busy");
            } finally {
                health.close();
            }
            assertTrue(busy.isValid(1));
        }
    }

    @Test
    void aDatabaseThatCannotBeReachedIsDownWithItsReasonAndNoPassword() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (HikariDataSource pool = Database.pool("jdbc:postgresql://127.0.0.1:" + closed + "/warren", "warren", "s3cret-pw", 2)) {
            StoreHealth health = new StoreHealth(pool);
            try {
                health.probe();
                StoreUnavailable down = assertThrows(StoreUnavailable.class, health::requireUp);
                assertTrue(down.getMessage().contains("Connection") && down.getMessage().contains(String.valueOf(closed)),
                        down.getMessage());
                assertFalse(down.getMessage().contains("s3cret-pw"), down.getMessage());
            } finally {
                health.close();
            }
        }
    }
}
