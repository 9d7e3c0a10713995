package io.warren.store;

import static io.warren.store.JobRows.JOBS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.warren.it.Await;
import io.warren.it.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL, warren's statements by primary key run from a generic plan (planned once per
 * connection, not for each run: planning every run was a third of PostgreSQL's CPU per job), and
 * that plan reads through the primary key even on a new, empty job table. The group commit's row
 * lock is planned for each run: its generic plan scanned the whole table, for the connection's life.
 * Runs with -Dwarren.test.db=postgres, on the database TestDatabase says.
 */
class PostgresPlansIT {

    @BeforeEach
    void onPostgres() {
        assumeTrue(TestDatabase.isPostgres(), "PostgreSQL's plan cache: run with warren.test.db=postgres");
    }

    @Test
    void theRowLockOfAGroupCommitIsNeverRunFromAGenericPlan() throws Exception {
        try (FreshPostgres database = new FreshPostgres("warren_plans", 2);
             Connection c = database.dataSource().getConnection()) {
            runOften(c, "lock-in-order", (lock, run) ->
                    lock.set("ids", c.createArrayOf("varchar", new String[] {"a" + run, "b" + run})).list(row -> null));
            try (ResultSet lock = preparedOnTheServer(c, "%FOR NO KEY UPDATE%")) {
                assertFalse(lock.next(), "the row lock was prepared on the server: its plan can be cached");
            }
        }
    }

    @Test
    void aReadByIdRunsFromAGenericPlanThatUsesThePrimaryKeyOnAnEmptyTable() throws Exception {
        try (FreshPostgres database = new FreshPostgres("warren_plans", 2);
             Connection c = database.dataSource().getConnection()) {
            runOften(c, "waiting", (waiting, run) -> waiting.set("id", "job-" + run).one(row -> null));
            try (ResultSet plans = preparedOnTheServer(c, "SELECT status, relayed FROM jobs%")) {
                assertTrue(plans.next(), "the read was not prepared on the server");
                assertTrue(plans.getLong("generic_plans") > 0, "planned for each run: " + plans.getLong("custom_plans") + " custom plans");
            }
            try (Statement s = c.createStatement()) {
                s.execute("PREPARE generic_waiting(varchar) AS SELECT status, relayed FROM jobs WHERE id = $1");
                s.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                StringBuilder plan = new StringBuilder();
                try (ResultSet lines = s.executeQuery("EXPLAIN EXECUTE generic_waiting('x')")) {
                    while (lines.next()) {
                        plan.append(lines.getString(1)).append('\n');
                    }
                }
                assertTrue(plan.toString().contains("jobs_pkey"), "the generic plan on an empty job table:\n" + plan);
            }
            c.rollback();
        }
    }

    /**
     * A plan cached while the table was small (ANALYZE saw 20 rows) scans the whole table however
     * much it grows, until the statistics change: PostgresStats analyzes the table once it has more
     * than doubled, and the same prepared statement then reads through the primary key.
     */
    @Test
    void aPlanCachedOnASmallTableIsMadeAgainOnceTheTableHasGrown() throws Exception {
        try (FreshPostgres database = new FreshPostgres("warren_plans", 2);
             Connection c = database.dataSource().getConnection();
             Statement s = c.createStatement();
             PostgresStats stats = new PostgresStats(database.dataSource())) {
            addJobs(s, 0, 20);
            s.execute("ANALYZE jobs");
            s.execute("ALTER TABLE jobs SET (autovacuum_enabled = false)"); // this test's ANALYZEs only
            s.execute("SET plan_cache_mode = force_generic_plan");
            s.execute("PREPARE waiting(varchar) AS SELECT status, relayed FROM jobs WHERE id = $1");
            assertTrue(plan(s).contains("Seq Scan on jobs"), "the plan cached at 20 rows:\n" + plan(s));
            assertEquals(List.of(), stats.analyzeGrown(), "20 rows: nothing to analyze");

            addJobs(s, 20, 5000);
            assertTrue(plan(s).contains("Seq Scan on jobs"), "the cached plan at 5,020 rows, before the check:\n" + plan(s));
            // PostgreSQL counts the new rows once the session that added them reports them (up to 10 s when it is idle)
            Await.until("the grown job table analyzed", Duration.ofSeconds(30), () -> stats.analyzeGrown().contains("jobs"));
            assertTrue(plan(s).contains("jobs_pkey"), "the plan once the table was analyzed again:\n" + plan(s));
            assertEquals(List.of(), stats.analyzeGrown(), "analyzed already");
        }
    }

    private static void addJobs(Statement s, int from, int count) throws SQLException {
        s.execute("INSERT INTO jobs (id, type, status, attempts, payload, accepted_at) SELECT 'job-' || g, 'probe', 'SUCCEEDED', 1, '{}', now() "
                + "FROM generate_series(" + from + ", " + (from + count - 1) + ") g");
    }

    private static String plan(Statement s) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (ResultSet lines = s.executeQuery("EXPLAIN EXECUTE waiting('job-7')")) {
            while (lines.next()) {
                plan.append(lines.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private interface Run {
        void bind(Sql.Bound statement, int run) throws SQLException;
    }

    /**
     * Runs the statement, each time in a transaction of its own, more often than it takes the driver
     * to prepare it on the server (its fifth run) and PostgreSQL to choose between a custom and a
     * generic plan (from the sixth). pg_prepared_statements counts the plans from PostgreSQL 14
     * (warren runs on 12+).
     */
    private static void runOften(Connection c, String name, Run run) throws SQLException {
        assumeTrue(c.getMetaData().getDatabaseMajorVersion() >= 14, "PostgreSQL 14+ counts a statement's plans");
        c.setAutoCommit(false);
        for (int i = 0; i < 12; i++) {
            try (Sql.Bound statement = JOBS.prepare(c, name)) {
                run.bind(statement, i);
            }
            c.commit();
        }
    }

    private static ResultSet preparedOnTheServer(Connection c, String like) throws SQLException {
        var read = c.prepareStatement("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE ?");
        read.setString(1, like);
        read.closeOnCompletion();
        return read.executeQuery();
    }
}
