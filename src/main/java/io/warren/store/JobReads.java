package io.warren.store;

import static io.warren.store.JobRows.JOBS;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/** Reading jobs: one by id, pages, counts by type and status, a job's history. */
public class JobReads {

    private final DataSource dataSource;

    public JobReads(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Optional<JobRecord> find(String id) {
        return Transactions.run(dataSource, c -> {
            try (Sql.Bound find = JOBS.prepare(c, "find")) {
                return find.set("id", id).one(JobRows::job);
            }
        });
    }

    /**
     * A page of jobs, newest first; {@code before} is the id the previous page ended with. Every
     * filter may be null; {@code errorClass} keeps the jobs whose last error is of that class
     * (simple or full name).
     */
    public List<JobRecord> page(String type, JobStatus status, String errorClass, Instant since, String before, int limit) {
        return Transactions.run(dataSource, c -> {
            try (Sql.Bound page = JOBS.prepare(c, "page")) {
                return page.set("type", type).set("status", status).set("error_class", errorClass)
                        .set("error_suffix", errorClass == null ? null : "%." + errorClass).set("since", since)
                        .set("before", before).set("limit", limit).list(JobRows::job);
            }
        });
    }

    /** How many jobs of each type are in each status: type -> status -> count. */
    public Map<String, Map<String, Long>> countsByTypeAndStatus() {
        return Transactions.run(dataSource, c -> {
            Map<String, Map<String, Long>> counts = new TreeMap<>();
            try (Sql.Bound count = JOBS.prepare(c, "counts")) {
                count.list(row -> counts.computeIfAbsent(row.getString("type"), t -> new TreeMap<>())
                        .put(row.getString("status"), row.getLong("jobs")));
            }
            return counts;
        });
    }

    /** The job's history, oldest first: its steps from its columns and its recorded events ({@link JobHistory}). */
    public List<JobEvent> history(JobRecord job) {
        List<JobEvent> recorded = Transactions.run(dataSource, c -> {
            try (Sql.Bound history = JOBS.prepare(c, "history")) {
                return history.set("job_id", job.id()).list(JobRows::event);
            }
        });
        return JobHistory.of(job, recorded);
    }
}
