package io.warren.fleet;

import io.warren.store.PausedTypes;
import io.warren.store.Transactions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** The instances table (heartbeats) and the commands with one flag per target instance. */
public class FleetStore {

    public record Instance(String id, String host, int port, Instant startedAt, Instant lastSeen, String state) {
    }

    public record Command(String id, String target, String command, String args, String issuedBy, Instant issuedAt) {
    }

    public record Target(String instanceId, String flag, String reason, Instant updatedAt) {
    }

    private final DataSource dataSource;

    public FleetStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void heartbeat(String id, String host, int port, Instant startedAt, String state) {
        transaction(c -> {
            Instant now = Instant.now();
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE instances SET host = ?, port = ?, started_at = ?, last_seen = ?, state = ? WHERE id = ?")) {
                update.setString(1, host);
                update.setInt(2, port);
                update.setObject(3, time(startedAt));
                update.setObject(4, time(now));
                update.setString(5, state);
                update.setString(6, id);
                if (update.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO instances (id, host, port, started_at, last_seen, state) VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, host);
                insert.setInt(3, port);
                insert.setObject(4, time(startedAt));
                insert.setObject(5, time(now));
                insert.setString(6, state);
                insert.executeUpdate();
            }
            return null;
        });
    }

    public List<Instance> instances() {
        return transaction(c -> {
            List<Instance> all = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, host, port, started_at, last_seen, state FROM instances ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.add(new Instance(rs.getString(1), rs.getString(2), rs.getInt(3), instant(rs, 4), instant(rs, 5), rs.getString(6)));
                }
            }
            return all;
        });
    }

    /**
     * Stores the command and a PENDING flag per target. {@code fleetTypes}: for a command to all
     * instances, the job types it holds for the fleet ({@link PausedTypes#fleetCommand}); else null.
     */
    public void issue(Command command, List<String> targets, Collection<String> fleetTypes) {
        transaction(c -> {
            if (fleetTypes != null) {
                PausedTypes.fleetCommand(c, command.command(), fleetTypes, command.issuedBy());
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO commands (id, target, command, args, issued_by, issued_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, command.id());
                ps.setString(2, command.target());
                ps.setString(3, command.command());
                ps.setString(4, command.args());
                ps.setString(5, command.issuedBy());
                ps.setObject(6, time(command.issuedAt()));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO command_targets (command_id, instance_id, flag, updated_at) VALUES (?, ?, 'PENDING', ?)")) {
                for (String target : targets) {
                    ps.setString(1, command.id());
                    ps.setString(2, target);
                    ps.setObject(3, time(command.issuedAt()));
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    public Optional<Command> command(String id) {
        return transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, target, command, args, issued_by, issued_at FROM commands WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Command(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), instant(rs, 6))) : Optional.empty();
                }
            }
        });
    }

    public Map<String, Target> targets(String commandId) {
        return transaction(c -> {
            Map<String, Target> targets = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT instance_id, flag, reason, updated_at FROM command_targets "
                    + "WHERE command_id = ? ORDER BY instance_id")) {
                ps.setString(1, commandId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        targets.put(rs.getString(1), new Target(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4)));
                    }
                }
            }
            return targets;
        });
    }

    /** The commands still PENDING for this instance, oldest first, issued before {@code before}. */
    public List<String> pending(String instanceId, Instant before) {
        return transaction(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT t.command_id FROM command_targets t JOIN commands c "
                    + "ON c.id = t.command_id WHERE t.instance_id = ? AND t.flag = 'PENDING' AND c.issued_at < ? ORDER BY c.issued_at")) {
                ps.setString(1, instanceId);
                ps.setObject(2, time(before));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            return ids;
        });
    }

    /** Takes a PENDING command for this instance; false when another path (broker or poll) took it first. */
    public boolean claim(String commandId, String instanceId) {
        return setFlag(commandId, instanceId, "PENDING", "EXECUTING", null);
    }

    public void finish(String commandId, String instanceId, boolean executed, String reason) {
        setFlag(commandId, instanceId, "EXECUTING", executed ? "EXECUTED" : "NOT_EXECUTED", reason);
    }

    private boolean setFlag(String commandId, String instanceId, String from, String to, String reason) {
        return transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE command_targets SET flag = ?, reason = ?, updated_at = ? "
                    + "WHERE command_id = ? AND instance_id = ? AND flag = ?")) {
                ps.setString(1, to);
                ps.setString(2, reason == null ? null : reason.substring(0, Math.min(reason.length(), 1000)));
                ps.setObject(3, time(Instant.now()));
                ps.setString(4, commandId);
                ps.setString(5, instanceId);
                ps.setString(6, from);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private <T> T transaction(Transactions.Work<T> work) {
        return Transactions.run(dataSource, work);
    }

    private static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
