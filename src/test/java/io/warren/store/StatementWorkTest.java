package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** When a batch's count for a work lets the shared transaction go on (the rest runs each work alone). */
class StatementWorkTest {

    private static final StatementWork<Void> INSERT = new StatementWork<>("insert", bound -> { }, (c, n) -> null, false);
    private static final StatementWork<Void> UPDATE = new StatementWork<>("start-and-succeed", bound -> { }, (c, n) -> null, true);

    @Test
    void anInsertHoldsWithoutACountButNotWhenItFailed() {
        assertTrue(INSERT.holds(1, false));
        assertTrue(INSERT.holds(Statement.SUCCESS_NO_INFO, false), "a row of a multi-row INSERT");
        assertFalse(INSERT.holds(Statement.EXECUTE_FAILED, true));
    }

    @Test
    void anUpdateNeedsItsCountAndOnASharedDatabaseItsRow() {
        assertTrue(UPDATE.holds(0, true), "the only writer: a row another copy moved on needs no lock");
        assertFalse(UPDATE.holds(0, false), "a shared database: the row was not locked");
        assertTrue(UPDATE.holds(1, false));
        assertFalse(UPDATE.holds(Statement.SUCCESS_NO_INFO, true));
    }
}
