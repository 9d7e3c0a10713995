package io.warren.store;

import static io.warren.store.JobRows.JOBS;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queries that run every few seconds read through an index of the jobs that wait, never
 * through every job there ever was: the outbox relay's and the queue sweep's; an Idempotency-Key
 * is looked up through its own table's key. (The embedded H2 database, migrated as warren migrates it.)
 */
class QueryPlansTest {

    /** An equality on both columns: the index is entered at the type's QUEUED jobs, not scanned. */
    private static final String THROUGH_BOTH_COLUMNS = "(?s).*JOBS_WAITING: RELAY_AT IS NULL\\s+AND WAITING_TYPE = .*";

    @TempDir
    Path data;
    private HikariDataSource dataSource;

    @BeforeEach
    void migrate() {
        dataSource = Database.pool(Database.url(null, data.toString()), "", "", 2);
        Database.migrate(dataSource);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    @Test
    void theRelayReadsTheJobsDueThroughJobsWaiting() throws Exception {
        String plan = plan("unpublished", "now", Instant.now(), "limit", 100);
        assertTrue(plan.matches("(?s).*JOBS_WAITING: RELAY_AT > .*AND RELAY_AT <= .*INDEX SORTED.*"), plan);
    }

    @Test
    void theQueueSweepReadsATypesWaitingJobsThroughJobsWaiting() throws Exception {
        String plan = plan("queued-of-type-before", "type", "echo", "published_before", Instant.now());
        assertTrue(plan.matches(THROUGH_BOTH_COLUMNS), plan);
        String all = plan("queued-of-type", "type", "echo");
        assertTrue(all.matches(THROUGH_BOTH_COLUMNS), all);
    }

    @Test
    void anIdempotencyKeyIsFoundThroughItsPrimaryKey() throws Exception {
        String plan = plan("find-by-idempotency-key", "scope", "client", "key", "order-7");
        assertTrue(plan.matches("(?s).*PRIMARY_KEY_.*IDEMPOTENCY_SCOPE = .*AND IDEMPOTENCY_KEY = .*"), plan);
    }

    private String plan(String statement, Object... parameters) throws Exception {
        try (Connection c = dataSource.getConnection(); Sql.Bound explain = JOBS.explain(c, statement)) {
            for (int i = 0; i < parameters.length; i += 2) {
                explain.set((String) parameters[i], parameters[i + 1]);
            }
            return String.join("\n", explain.list(row -> row.getString(1))).toUpperCase();
        }
    }
}
