package io.warren.store;

import static io.warren.store.JobRows.JOBS;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.warren.it.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL, warren's statements by primary key run from a generic plan (planned once per
 * connection, not for each run: planning every run was a third of PostgreSQL's CPU per job), and
 * that plan reads through the primary key even on a new, empty job table. The group commit's row
 * lock is planned for each run: its generic plan scanned the whole table, for the connection's life.
 * Runs with -Dwarren.test.db=postgres, on the database TestDatabase says.
 */
class PostgresPlansIT {

    @Test
    void theRowLockOfAGroupCommitIsNeverRunFromAGenericPlan() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "PostgreSQL's plan cache: run with warren.test.db=postgres");
        try (FreshPostgres database = new FreshPostgres("warren_plans", 2);
             Connection c = database.dataSource().getConnection()) {
            assumeCountsPlans(c);
            c.setAutoCommit(false);
            // the driver would prepare it on the server from the fifth run; PostgreSQL would
            // choose between a custom and a generic plan from the sixth
            for (int run = 0; run < 12; run++) {
                try (Sql.Bound lock = JOBS.prepare(c, "lock-in-order")) {
                    lock.set("ids", c.createArrayOf("varchar", new String[] {"a" + run, "b" + run})).list(row -> null);
                }
                c.commit();
            }
            try (ResultSet lock = preparedOnTheServer(c, "%FOR NO KEY UPDATE%")) {
                assertFalse(lock.next(), "the row lock was prepared on the server: its plan can be cached");
            }
        }
    }

    @Test
    void aReadByIdRunsFromAGenericPlanThatUsesThePrimaryKeyOnAnEmptyTable() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "PostgreSQL's plan cache: run with warren.test.db=postgres");
        try (FreshPostgres database = new FreshPostgres("warren_plans", 2);
             Connection c = database.dataSource().getConnection()) {
            assumeCountsPlans(c);
            c.setAutoCommit(false);
            for (int run = 0; run < 12; run++) {
                try (Sql.Bound waiting = JOBS.prepare(c, "waiting")) {
                    waiting.set("id", "job-" + run).one(row -> null);
                }
                c.commit();
            }
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

    /** pg_prepared_statements counts generic and custom plans from PostgreSQL 14 (warren runs on 12+). */
    private static void assumeCountsPlans(Connection c) throws SQLException {
        assumeTrue(c.getMetaData().getDatabaseMajorVersion() >= 14, "PostgreSQL 14+ counts a statement's plans");
    }

    private static ResultSet preparedOnTheServer(Connection c, String like) throws SQLException {
        var read = c.prepareStatement("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE ?");
        read.setString(1, like);
        read.closeOnCompletion();
        return read.executeQuery();
    }
}
