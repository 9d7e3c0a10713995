import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * H2 alone, no warren (bench/h2-indexes.sh): what a job costs the store's writer with the jobs
 * table's indexes before V12 (five) and after (three), and after with the ids as UUID columns
 * (v12uuid: 16 bytes, compared as two numbers, instead of VARCHAR(36)), on a file database opened
 * as warren opens it. Each job is warren's keyless insert and its start-and-succeed update, committed PER_COMMIT
 * (50 unless given) at a time as the group commit does; prints the committing thread's CPU per job,
 * a first pass (JIT warming) and a second. With a small PER_COMMIT: what a commit costs, shared by
 * the jobs it carries (how many works GroupCommit's transactions hold).
 * PAYLOAD: the payload's length in characters (100 unless given; in H2's PostgreSQL mode a TEXT
 * column is CHARACTER VARYING, kept in the row, never in H2's LOB store); v12split keeps the payload
 * in a table of its own, written once, so the update rewrites a row without it.
 *   java -cp h2.jar bench/H2Indexes.java v11|v12|v12uuid|v12split JOBS [PER_COMMIT [PAYLOAD]]
 */
public class H2Indexes {

    public static void main(String[] args) throws Exception {
        String schema = args[0];
        int jobs = Integer.parseInt(args[1]);
        int perCommit = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int payloadLength = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        Path dir = Files.createTempDirectory("h2-indexes");
        String url = "jdbc:h2:file:" + dir + "/jobs;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + ";WRITE_DELAY=0;RETENTION_TIME=1000";
        try {
            run(url, schema, jobs, perCommit, payloadLength, dir);
        } finally {
            // the file grows to gigabytes with long payloads (no compaction here)
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void run(String url, String schema, int jobs, int perCommit, int payloadLength, Path dir) throws Exception {
        boolean uuid = schema.equals("v12uuid");
        boolean split = schema.equals("v12split");
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            create(c, schema);
            c.setAutoCommit(false);
            PreparedStatement insert = c.prepareStatement(split
                    ? "INSERT INTO jobs (id, type, status, attempts, correlation_id, producer, host, accepted_at, relay_at, waiting_type)"
                            + " VALUES (?, 'noop', 'ACCEPTED', 0, ?, 'bench', 'host', ?, ?, 'noop')"
                    : "INSERT INTO jobs (id, type, status, attempts, correlation_id, producer, host, accepted_at, relay_at, waiting_type,"
                            + " payload) VALUES (?, 'noop', 'ACCEPTED', 0, ?, 'bench', 'host', ?, ?, 'noop', ?)");
            PreparedStatement insertPayload = split ? c.prepareStatement("INSERT INTO job_payloads (job_id, payload) VALUES (?, ?)") : null;
            PreparedStatement succeed = c.prepareStatement("UPDATE jobs SET status = 'SUCCEEDED', attempts = GREATEST(attempts + 1, 1),"
                    + " started_at = COALESCE(started_at, ?), published_at = COALESCE(published_at, ?), finished_at = ?, relay_at = NULL,"
                    + " waiting_type = NULL, last_error_stack = NULL, result = NULL WHERE id = ? AND status IN ('ACCEPTED', 'QUEUED', 'RETRYING')");
            String payload = "x".repeat(payloadLength);
            for (int pass = 1; pass <= 2; pass++) {
                long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                long started = System.nanoTime();
                List<Object> ids = new ArrayList<>();
                for (int i = 0; i < jobs; i++) {
                    // a UUIDv7 as warren's JobIds makes them: the millisecond, then random bits
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    String id = new UUID(System.currentTimeMillis() << 16 | 0x7000 | random.nextInt(1 << 12),
                            random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L).toString();
                    OffsetDateTime now = OffsetDateTime.now();
                    insert.setObject(1, uuid ? UUID.fromString(id) : id);
                    insert.setString(2, id);
                    insert.setObject(3, now);
                    insert.setObject(4, now.plusSeconds(5));
                    if (split) {
                        insertPayload.setString(1, id);
                        insertPayload.setString(2, payload);
                        insertPayload.addBatch();
                    } else {
                        insert.setString(5, payload);
                    }
                    insert.addBatch();
                    ids.add(uuid ? UUID.fromString(id) : id);
                    if (ids.size() == perCommit) {
                        insert.executeBatch();
                        if (split) {
                            insertPayload.executeBatch();
                        }
                        c.commit();
                        for (Object done : ids) {
                            succeed.setObject(1, now);
                            succeed.setObject(2, now);
                            succeed.setObject(3, now);
                            succeed.setObject(4, done);
                            succeed.addBatch();
                        }
                        succeed.executeBatch();
                        c.commit();
                        ids.clear();
                    }
                }
                cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu;
                System.out.printf("schema=%s per_commit=%d payload=%d pass=%d jobs=%d seconds=%.2f cpu_us_per_job=%.1f"
                        + " file_mb=%.1f%n", schema, perCommit, payloadLength, pass, jobs,
                        (System.nanoTime() - started) / 1e9, cpu / 1e3 / jobs, Files.size(dir.resolve("jobs.mv.db")) / 1e6);
            }
        }
    }

    /**
     * The jobs table as V1..V11 leave it; v11 with its five indexes, v12 with V12's three, v12uuid
     * with UUID ids, v12split with V12's and the payload in a table of its own.
     */
    private static void create(Connection c, String schema) throws Exception {
        String id = schema.equals("v12uuid") ? "UUID" : "VARCHAR(36)";
        try (Statement s = c.createStatement()) {
            String payload = schema.equals("v12split") ? "" : " payload TEXT NOT NULL,";
            s.execute("CREATE TABLE jobs (id " + id + " PRIMARY KEY, type VARCHAR(64) NOT NULL, status VARCHAR(16) NOT NULL,"
                    + " attempts INTEGER NOT NULL DEFAULT 0," + payload + " correlation_id VARCHAR(128), producer VARCHAR(255),"
                    + " host VARCHAR(255), idempotency_key VARCHAR(255), idempotency_scope VARCHAR(255), request_hash VARCHAR(64),"
                    + " accepted_at TIMESTAMP WITH TIME ZONE NOT NULL, published_at TIMESTAMP WITH TIME ZONE, started_at TIMESTAMP WITH TIME ZONE,"
                    + " finished_at TIMESTAMP WITH TIME ZONE, last_error_class VARCHAR(255), last_error_message VARCHAR(1000),"
                    + " result VARCHAR(4000), last_error_stack VARCHAR(4000), relayed BOOLEAN NOT NULL DEFAULT FALSE,"
                    + " relay_at TIMESTAMP WITH TIME ZONE, waiting_type VARCHAR(64))");
            s.execute("CREATE INDEX jobs_type_id ON jobs (type, id)");
            s.execute("CREATE TABLE job_events (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                    + " job_id " + id + " NOT NULL REFERENCES jobs (id) ON DELETE CASCADE, at TIMESTAMP WITH TIME ZONE NOT NULL,"
                    + " event VARCHAR(32) NOT NULL, attempt INTEGER, detail VARCHAR(2000))");
            switch (schema) {
                case "v11" -> {
                    s.execute("CREATE UNIQUE INDEX jobs_idempotency_scope_key ON jobs (idempotency_scope, idempotency_key)");
                    s.execute("CREATE INDEX jobs_relay_at ON jobs (relay_at)");
                    s.execute("CREATE INDEX jobs_waiting_type ON jobs (waiting_type)");
                }
                case "v12", "v12uuid", "v12split" -> {
                    s.execute("CREATE INDEX jobs_waiting ON jobs (relay_at, waiting_type)");
                    s.execute("CREATE TABLE idempotency_keys (idempotency_scope VARCHAR(255) NOT NULL, idempotency_key VARCHAR(255) NOT NULL,"
                            + " job_id " + id + " NOT NULL REFERENCES jobs (id) ON DELETE CASCADE, PRIMARY KEY (idempotency_scope, idempotency_key))");
                    s.execute("CREATE INDEX idempotency_keys_job ON idempotency_keys (job_id)");
                    if (schema.equals("v12split")) {
                        s.execute("CREATE TABLE job_payloads (job_id " + id + " PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,"
                                + " payload TEXT NOT NULL)");
                    }
                }
                default -> throw new IllegalArgumentException("schema: v11, v12, v12uuid or v12split, not " + schema);
            }
        }
    }
}
