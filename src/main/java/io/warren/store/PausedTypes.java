package io.warren.store;

import static io.warren.store.JobRows.JOBS;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Which job types are paused, on which instance, and who paused them: kept so a pause outlives a
 * restart. A fleet STOP for target 'all' also pauses its types for the fleet (instance
 * {@value #FLEET}), so an instance that joins later, or was away, starts them held.
 */
public class PausedTypes {

    /** The instance id of a pause the whole fleet holds. */
    public static final String FLEET = "*";

    public record Pause(String by, Instant at) {
    }

    private final DataSource dataSource;

    public PausedTypes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void pause(String type, String instanceId, String by) {
        Transactions.run(dataSource, c -> pause(c, type, instanceId, by, Instant.now()));
    }

    public void resume(String type, String instanceId) {
        Transactions.run(dataSource, c -> {
            try (Sql.Bound resume = JOBS.prepare(c, "resume-type")) {
                return resume.set("type", type).set("instance_id", instanceId).update();
            }
        });
    }

    /** The pause that holds the type on this instance: its own or the fleet's, the latest. */
    public Optional<Pause> pauseOf(String type, String instanceId) {
        return Transactions.run(dataSource, c -> {
            try (Sql.Bound paused = JOBS.prepare(c, "paused-type")) {
                return paused.set("type", type).set("instance_id", instanceId)
                        .one(row -> new Pause(row.getString("paused_by"), JobRows.instant(row, "paused_at")));
            }
        });
    }

    /**
     * In the transaction that issues a fleet command for all instances: STOP pauses the types for
     * the fleet; START resumes them everywhere (no types: every paused type), instances that were
     * away included. The live instances also run the command themselves.
     */
    public static void fleetCommand(Connection c, String command, Collection<String> types, String by) throws SQLException {
        Instant now = Instant.now();
        if (command.equals("STOP")) {
            for (String type : types) {
                pause(c, type, FLEET, by, now);
            }
        } else if (command.equals("START") && types.isEmpty()) {
            try (Sql.Bound resume = JOBS.prepare(c, "resume-all-everywhere")) {
                resume.update();
            }
        } else if (command.equals("START")) {
            try (Sql.Bound resume = JOBS.prepare(c, "resume-type-everywhere")) {
                for (String type : types) {
                    resume.set("type", type).update();
                }
            }
        }
    }

    private static int pause(Connection c, String type, String instanceId, String by, Instant now) throws SQLException {
        try (Sql.Bound earlier = JOBS.prepare(c, "resume-type")) {
            earlier.set("type", type).set("instance_id", instanceId).update();
        }
        try (Sql.Bound pause = JOBS.prepare(c, "pause-type")) {
            return pause.set("type", type).set("instance_id", instanceId).set("paused_by", by).set("now", now).update();
        }
    }
}
