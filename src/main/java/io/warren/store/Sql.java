package io.warren.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGStatement;

/**
 * Named SQL statements from a file on the class path (src/main/resources/sql/), each after a
 * {@code -- name: <name>} line, with named parameters ({@code :id}). A parameter in capitals names
 * a {@link JobStatus} and is bound to it, so statuses in SQL come from the enum: a misspelt one
 * fails when the file loads. A statement with a {@code -- plan: each run} line is planned by
 * PostgreSQL for each run, never from a plan it cached (see {@link Database#pool}).
 */
final class Sql {

    private static final Pattern NAME = Pattern.compile("^-- name: (\\S+)\\s*$", Pattern.MULTILINE);
    private static final Pattern PARAMETER = Pattern.compile("(?<!:):([A-Za-z_][A-Za-z0-9_]*)");
    private static final String PLAN_EACH_RUN = "-- plan: each run";

    /** Turns the current row into a value. */
    interface Row<T> {
        T map(ResultSet row) throws SQLException;
    }

    private final Map<String, Statement> statements = new LinkedHashMap<>();

    private Sql(String text) {
        Matcher names = NAME.matcher(text);
        List<int[]> starts = new ArrayList<>();
        List<String> found = new ArrayList<>();
        while (names.find()) {
            starts.add(new int[] {names.start(), names.end()});
            found.add(names.group(1));
        }
        for (int i = 0; i < found.size(); i++) {
            int end = i + 1 < found.size() ? starts.get(i + 1)[0] : text.length();
            statements.put(found.get(i), Statement.parse(found.get(i), text.substring(starts.get(i)[1], end)));
        }
    }

    static Sql load(String resource) {
        try (InputStream in = Objects.requireNonNull(Sql.class.getResourceAsStream(resource), resource)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Sql parse(String text) {
        return new Sql(text);
    }

    /** The statement, prepared on this connection, its status parameters bound. */
    Bound prepare(Connection connection, String name) throws SQLException {
        return prepare(connection, name, "");
    }

    /** The database's plan for the statement (EXPLAIN): tests check which index a query reads through. */
    Bound explain(Connection connection, String name) throws SQLException {
        return prepare(connection, name, "EXPLAIN ");
    }

    private Bound prepare(Connection connection, String name, String prefix) throws SQLException {
        Statement statement = statements.get(name);
        if (statement == null) {
            throw new IllegalArgumentException("No SQL statement named " + name);
        }
        PreparedStatement prepared = connection.prepareStatement(prefix + statement.jdbc);
        if (statement.planEachRun && prepared.isWrapperFor(PGStatement.class)) {
            prepared.unwrap(PGStatement.class).setPrepareThreshold(0); // never prepared on the server: a plan per run
        }
        Bound bound = new Bound(statement, prepared);
        for (String parameter : statement.parameters) {
            if (Character.isUpperCase(parameter.charAt(0))) {
                bound.set(parameter, JobStatus.valueOf(parameter));
            }
        }
        return bound;
    }

    /** A statement as JDBC wants it (with ?) and the parameter each ? stands for. */
    private record Statement(String name, String jdbc, List<String> parameters, boolean planEachRun) {

        static Statement parse(String name, String sql) {
            String text = sql.lines().filter(line -> !line.strip().startsWith("--")).reduce("", (a, b) -> a + b + "\n").strip();
            List<String> parameters = new ArrayList<>();
            Matcher matcher = PARAMETER.matcher(text);
            StringBuilder jdbc = new StringBuilder();
            while (matcher.find()) {
                String parameter = matcher.group(1);
                if (Character.isUpperCase(parameter.charAt(0))) {
                    try {
                        JobStatus.valueOf(parameter);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("SQL statement " + name + ": :" + parameter + " is not a JobStatus");
                    }
                }
                parameters.add(parameter);
                matcher.appendReplacement(jdbc, "?");
            }
            matcher.appendTail(jdbc);
            boolean planEachRun = sql.lines().anyMatch(line -> line.strip().equals(PLAN_EACH_RUN));
            return new Statement(name, jdbc.toString(), List.copyOf(parameters), planEachRun);
        }
    }

    /** A prepared statement whose parameters are set by name. */
    static final class Bound implements AutoCloseable {

        private final Statement statement;
        private final PreparedStatement prepared;

        private Bound(Statement statement, PreparedStatement prepared) {
            this.statement = statement;
            this.prepared = prepared;
        }

        /** Sets every occurrence of the parameter; an Instant is stored as UTC, an enum by its name. */
        Bound set(String parameter, Object value) throws SQLException {
            Object jdbcValue = value instanceof Instant instant ? OffsetDateTime.ofInstant(instant, ZoneOffset.UTC)
                    : value instanceof Enum<?> constant ? constant.name() : value;
            boolean found = false;
            for (int i = 0; i < statement.parameters.size(); i++) {
                if (statement.parameters.get(i).equals(parameter)) {
                    prepared.setObject(i + 1, jdbcValue);
                    found = true;
                }
            }
            if (!found) {
                throw new IllegalArgumentException("SQL statement " + statement.name + " has no parameter :" + parameter);
            }
            return this;
        }

        int update() throws SQLException {
            return prepared.executeUpdate();
        }

        void addBatch() throws SQLException {
            prepared.addBatch();
        }

        /** How many rows each statement of the batch changed. */
        int[] executeBatch() throws SQLException {
            return prepared.executeBatch();
        }

        <T> List<T> list(Row<T> row) throws SQLException {
            List<T> values = new ArrayList<>();
            try (ResultSet rs = prepared.executeQuery()) {
                while (rs.next()) {
                    values.add(row.map(rs));
                }
            }
            return values;
        }

        <T> Optional<T> one(Row<T> row) throws SQLException {
            List<T> values = list(row);
            return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        @Override
        public void close() throws SQLException {
            prepared.close();
        }
    }
}
