package io.warren.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idempotency keys, held in their own table (V12), on the embedded H2 database migrated as warren
 * migrates it: a key belongs to its scope, finds its first job while it is kept, and is free again
 * once its retention passed or its job was taken back.
 */
class IdempotencyKeysTest {

    private static final Duration RETENTION = Duration.ofHours(1);

    @TempDir
    Path data;
    private HikariDataSource dataSource;
    private GroupCommit groupCommit;
    private StoreHealth health;
    private NewJobs newJobs;
    private JobReads reads;

    @BeforeEach
    void store() {
        dataSource = Database.pool(Database.url(null, data.toString()), "", "", 2);
        Database.migrate(dataSource);
        groupCommit = new GroupCommit(dataSource, dataSource.getJdbcUrl(), true, new SimpleMeterRegistry());
        health = StoreHealth.start(dataSource, Duration.ofMinutes(1));
        newJobs = new NewJobs(dataSource, groupCommit, RETENTION, Duration.ofSeconds(10), health);
        reads = new JobReads(dataSource);
    }

    @AfterEach
    void close() {
        health.close();
        groupCommit.close();
        dataSource.close();
    }

    @Test
    void theSameKeyAndRequestFindTheFirstJobAndAnotherRequestConflicts() {
        NewJobs.Inserted first = newJobs.insert(keyed("order-7", "hash-a", Instant.now()), "client-1");
        assertFalse(first.existing());

        NewJobs.Inserted again = newJobs.insert(keyed("order-7", "hash-a", Instant.now()), "client-1");
        assertTrue(again.existing());
        assertEquals(first.job().id(), again.job().id());

        IdempotencyConflict conflict = assertThrows(IdempotencyConflict.class,
                () -> newJobs.insert(keyed("order-7", "hash-b", Instant.now()), "client-1"));
        assertEquals(first.job().id(), conflict.jobId());
    }

    @Test
    void aKeyBelongsToTheCredentialThatSentIt() {
        NewJobs.Inserted mine = newJobs.insert(keyed("order-7", "hash-a", Instant.now()), "client-1");
        NewJobs.Inserted theirs = newJobs.insert(keyed("order-7", "hash-a", Instant.now()), "client-2");
        assertFalse(theirs.existing());
        assertNotEquals(mine.job().id(), theirs.job().id());
    }

    @Test
    void aKeyPastItsRetentionIsFreeAndItsOldJobStillShowsIt() {
        NewJobs.Inserted old = newJobs.insert(keyed("order-7", "hash-a", Instant.now().minus(RETENTION).minusSeconds(1)), "client-1");

        NewJobs.Inserted fresh = newJobs.insert(keyed("order-7", "hash-b", Instant.now()), "client-1");
        assertFalse(fresh.existing(), "a new job, not a conflict with the expired one");
        assertEquals("order-7", reads.find(old.job().id()).orElseThrow().idempotencyKey());
        assertTrue(newJobs.insert(keyed("order-7", "hash-b", Instant.now()), "client-1").existing(), "the key is the new job's now");
    }

    @Test
    void aJobTakenBackFreesItsKey() {
        NewJobs.Inserted refused = newJobs.insert(keyed("order-7", "hash-a", Instant.now()), "client-1");
        newJobs.takeBack(refused.job().id()).join();

        NewJobs.Inserted retried = newJobs.insert(keyed("order-7", "hash-a", Instant.now()), "client-1");
        assertFalse(retried.existing());
        assertNotEquals(refused.job().id(), retried.job().id());
    }

    @Test
    void theKeysTableHasAnIndexForEachLookupAndNoOther() {
        List<String> indexes = Transactions.run(dataSource, c -> {
            List<String> names = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rows = s.executeQuery("SELECT index_type_name, index_name FROM information_schema.indexes"
                         + " WHERE table_name = 'idempotency_keys' ORDER BY index_type_name")) {
                while (rows.next()) {
                    names.add(rows.getString(1) + " " + rows.getString(2));
                }
            }
            return names;
        });
        // the key's lookup and the cascade's; a foreign key declared inline would add its own on job_id
        assertEquals(2, indexes.size(), indexes.toString());
        assertTrue(indexes.contains("INDEX idempotency_keys_job"), indexes.toString());
    }

    private static JobRecord keyed(String key, String requestHash, Instant acceptedAt) {
        return JobRecord.accepted(UUID.randomUUID().toString(), "echo", "{}", "c", "p", "h", key, requestHash, acceptedAt);
    }
}
