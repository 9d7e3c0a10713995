package io.warren.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import javax.sql.DataSource;

/** Rows of the jobs and job_events tables, by column name; the statements are in sql/jobs.sql. */
final class JobRows {

    static final Sql JOBS = Sql.load("/sql/jobs.sql");

    private JobRows() {
    }

    static JobRecord job(ResultSet row) throws SQLException {
        return new JobRecord(row.getString("id"), row.getString("type"), JobStatus.valueOf(row.getString("status")),
                row.getInt("attempts"), row.getString("payload"), row.getString("correlation_id"), row.getString("producer"),
                row.getString("host"), row.getString("idempotency_key"), row.getString("request_hash"),
                instant(row, "accepted_at"), instant(row, "published_at"), instant(row, "started_at"),
                instant(row, "finished_at"), row.getString("last_error_class"), row.getString("last_error_message"),
                row.getString("result"), row.getString("last_error_stack"));
    }

    static JobEvent event(ResultSet row) throws SQLException {
        return new JobEvent(instant(row, "at"), row.getString("event"), row.getObject("attempt", Integer.class),
                row.getString("detail"));
    }

    /** Appends to the job's history, in the transaction of the change it records. */
    static void appendEvent(Connection c, String jobId, JobEventKind event, Integer attempt, String detail) throws SQLException {
        try (Sql.Bound insert = JOBS.prepare(c, "event")) {
            bindEvent(insert, jobId, Instant.now(), event, attempt, detail).update();
        }
    }

    /** Sets the parameters of the "event" statement, for one insert or a batch. */
    static Sql.Bound bindEvent(Sql.Bound insert, String jobId, Instant at, JobEventKind event, Integer attempt, String detail)
            throws SQLException {
        return insert.set("job_id", jobId).set("at", at).set("event", event).set("attempt", attempt).set("detail", cut(detail, 2000));
    }

    static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Whether the job's row is there within {@code within}, reading every 10 ms; false if interrupted. */
    static boolean awaitRow(DataSource dataSource, String id, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            boolean stored = Transactions.run(dataSource, c -> {
                try (Sql.Bound status = JOBS.prepare(c, "status")) {
                    return status.set("id", id).one(row -> true).isPresent();
                }
            });
            if (stored) {
                return true;
            }
        }
        return false;
    }
}
