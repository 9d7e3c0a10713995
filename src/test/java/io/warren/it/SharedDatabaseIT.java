package io.warren.it;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.warren.store.GroupCommit;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two instances' writers on one PostgreSQL database ({@link TestDatabase}), committing changes to
 * the same job rows in opposite orders, as one instance publishes jobs that another claims (works
 * of one row, and now and then of two): every change commits, and PostgreSQL counts no deadlock.
 */
class SharedDatabaseIT {

    private static final int ROWS = 20;
    private static final int ROUNDS = 40;

    @Test
    void twoWritersChangingTheSameRowsInOppositeOrdersNeverDeadlock() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "a shared database: run with warren.test.db=postgres");
        String name = "warren_shared_" + System.nanoTime();
        Map<String, String> settings = TestDatabase.settingsFor(name);
        try {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setURL(settings.get("warren.db.url"));
            dataSource.setUser(settings.get("warren.db.user"));
            dataSource.setPassword(settings.get("warren.db.password"));
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE jobs (id VARCHAR(36) PRIMARY KEY, n INTEGER NOT NULL)");
                for (int i = 0; i < ROWS; i++) {
                    s.execute("INSERT INTO jobs VALUES ('" + row(i) + "', 0)");
                }
            }
            long before = deadlocks(dataSource);
            try (GroupCommit a = new GroupCommit(dataSource, dataSource.getURL(), false, new SimpleMeterRegistry()); GroupCommit b = new GroupCommit(dataSource, dataSource.getURL(), false, new SimpleMeterRegistry())) {
                for (int round = 0; round < ROUNDS; round++) {
                    List<CompletableFuture<Integer>> changes = new ArrayList<>();
                    for (int i = 0; i < ROWS; i++) {
                        changes.add(increment(a, row(i)));
                        changes.add(increment(b, row(ROWS - 1 - i)));
                        if (i % 5 == 0) { // now and then a work of two rows, changed in opposite orders
                            changes.add(increment(a, row(i), row(ROWS - 1 - i)));
                            changes.add(increment(b, row(ROWS - 1 - i), row(i)));
                        }
                    }
                    changes.forEach(CompletableFuture::join);
                }
            }
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                 ResultSet sum = s.executeQuery("SELECT sum(n) FROM jobs")) {
                sum.next();
                assertEquals((2 * ROWS + 2 * 2 * (ROWS / 5)) * ROUNDS, sum.getInt(1), "every change committed once");
            }
            Thread.sleep(1500); // a backend reports its counts when it ends, and at most every second
            assertEquals(before, deadlocks(dataSource), "deadlocks PostgreSQL had to break");
        } finally {
            TestDatabase.drop(name);
        }
    }

    /** One work that adds one to each row, in the order given. */
    private static CompletableFuture<Integer> increment(GroupCommit writer, String... ids) {
        return writer.submit(List.of(ids), c -> {
            int changed = 0;
            try (Statement s = c.createStatement()) {
                for (String id : ids) {
                    changed += s.executeUpdate("UPDATE jobs SET n = n + 1 WHERE id = '" + id + "'");
                }
            }
            return changed;
        });
    }

    private static String row(int i) {
        return String.format("job-%02d", i);
    }

    private static long deadlocks(PGSimpleDataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
