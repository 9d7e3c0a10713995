package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Named statements against an in-memory H2: parameters by name, statuses from the enum. */
class SqlTest {

    @Test
    void namedParametersAndStatusConstantsAreBound() throws Exception {
        Sql sql = Sql.parse("""
                -- name: create
                CREATE TABLE t (id VARCHAR(8), status VARCHAR(16), at TIMESTAMP WITH TIME ZONE)
                -- name: add
                -- a comment inside a statement is dropped
                INSERT INTO t VALUES (:id, :QUEUED, :at)
                -- name: queued
                SELECT id FROM t WHERE status = :QUEUED AND (id = :id OR :id = 'any')
                """);
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:sqltest")) {
            try (Sql.Bound create = sql.prepare(c, "create")) {
                create.update();
            }
            try (Sql.Bound add = sql.prepare(c, "add")) {
                add.set("id", "a").set("at", Instant.now()).addBatch();
                add.set("id", "b").set("at", Instant.now()).addBatch();
                add.executeBatch();
            }
            try (Sql.Bound queued = sql.prepare(c, "queued")) {
                assertEquals(List.of("a", "b"), queued.set("id", "any").list(row -> row.getString("id")));
                assertEquals(List.of("b"), queued.set("id", "b").list(row -> row.getString("id")));
            }
            try (Sql.Bound queued = sql.prepare(c, "queued")) {
                IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> queued.set("nope", 1));
                assertTrue(unknown.getMessage().contains(":nope"), unknown.getMessage());
            }
            assertThrows(IllegalArgumentException.class, () -> sql.prepare(c, "missing"));
        }
    }

    @Test
    void aStatusTheEnumDoesNotHaveFailsWhenTheFileLoads() {
        IllegalArgumentException misspelt = assertThrows(IllegalArgumentException.class,
                () -> Sql.parse("-- name: x\nSELECT * FROM jobs WHERE status = :QUEUEDD\n"));
        assertTrue(misspelt.getMessage().contains("QUEUEDD"), misspelt.getMessage());
    }

    @Test
    void theShippedStatementsParse() {
        assertTrue(JobRows.JOBS != null);
    }
}
