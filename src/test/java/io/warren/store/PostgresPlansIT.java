package io.warren.store;

import static io.warren.store.JobRows.JOBS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.warren.it.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL, warren's statements are planned for each run, never from a generic plan cached
 * while the job table was empty (a sequential scan per group commit, kept for the connection's
 * life). Runs with -Dwarren.test.db=postgres, on the database TestDatabase says.
 */
class PostgresPlansIT {

    @Test
    void theRowLockOfAGroupCommitIsNeverRunFromAGenericPlan() throws Exception {
        assumeTrue(TestDatabase.isPostgres(), "PostgreSQL's plan cache: run with warren.test.db=postgres");
        try (FreshPostgres database = new FreshPostgres("warren_plans", 2);
             Connection c = database.dataSource().getConnection()) {
            c.setAutoCommit(false);
            // the driver prepares it on the server from the fifth run; PostgreSQL would
            // choose between a custom and a generic plan from the sixth
            for (int run = 0; run < 12; run++) {
                try (Sql.Bound lock = JOBS.prepare(c, "lock-in-order")) {
                    lock.set("ids", c.createArrayOf("varchar", new String[] {"a" + run, "b" + run})).list(row -> null);
                }
                c.commit();
            }
            try (Statement s = c.createStatement();
                 ResultSet plans = s.executeQuery("SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                         + " WHERE statement LIKE '%FOR NO KEY UPDATE%'")) {
                assertTrue(plans.next(), "the row lock was not prepared on the server");
                assertEquals(0, plans.getLong("generic_plans"), "runs from a generic plan");
                assertTrue(plans.getLong("custom_plans") >= 6, "custom plans: " + plans.getLong("custom_plans"));
            }
        }
    }
}
