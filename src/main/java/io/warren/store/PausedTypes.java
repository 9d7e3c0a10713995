package io.warren.store;

import static io.warren.store.JobRows.JOBS;

import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** Which job types an instance has paused, and who paused them: kept so a pause outlives a restart. */
public class PausedTypes {

    public record Pause(String by, Instant at) {
    }

    private final DataSource dataSource;

    public PausedTypes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void pause(String type, String instanceId, String by) {
        Transactions.run(dataSource, c -> {
            try (Sql.Bound earlier = JOBS.prepare(c, "resume-type")) {
                earlier.set("type", type).set("instance_id", instanceId).update();
            }
            try (Sql.Bound pause = JOBS.prepare(c, "pause-type")) {
                return pause.set("type", type).set("instance_id", instanceId).set("paused_by", by).set("now", Instant.now())
                        .update();
            }
        });
    }

    public void resume(String type, String instanceId) {
        Transactions.run(dataSource, c -> {
            try (Sql.Bound resume = JOBS.prepare(c, "resume-type")) {
                return resume.set("type", type).set("instance_id", instanceId).update();
            }
        });
    }

    public Optional<Pause> pauseOf(String type, String instanceId) {
        return Transactions.run(dataSource, c -> {
            try (Sql.Bound paused = JOBS.prepare(c, "paused-type")) {
                return paused.set("type", type).set("instance_id", instanceId)
                        .one(row -> new Pause(row.getString("paused_by"), JobRows.instant(row, "paused_at")));
            }
        });
    }
}
