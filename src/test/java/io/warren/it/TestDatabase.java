package io.warren.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * The job database of the broker tests, chosen by -Dwarren.test.db: "h2" (default: each warren's
 * embedded file) or "postgres". For PostgreSQL: WARREN_TEST_DB_URL/USER/PASSWORD if set, else a
 * Testcontainers PostgreSQL where Docker runs, else 127.0.0.1:5432 as user warren (bin/ensure-postgres
 * creates it). Each test warren gets a database of its own.
 */
public final class TestDatabase {

    private static String adminUrl;
    private static String user;
    private static String password;

    private TestDatabase() {
    }

    public static boolean isPostgres() {
        return "postgres".equals(System.getProperty("warren.test.db", "h2"));
    }

    /** Settings that point a warren at a fresh database of its own (none for H2). */
    public static Map<String, String> settingsFor(String name) throws SQLException {
        if (!isPostgres()) {
            return Map.of();
        }
        locate();
        try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return Map.of("warren.db.url", adminUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + name + "$1"),
                "warren.db.user", user, "warren.db.password", password);
    }

    public static void drop(String name) throws SQLException {
        if (!isPostgres()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static synchronized void locate() {
        if (adminUrl != null) {
            return;
        }
        String given = System.getenv("WARREN_TEST_DB_URL");
        if (given != null && !given.isBlank()) {
            adminUrl = given;
            user = System.getenv().getOrDefault("WARREN_TEST_DB_USER", "warren");
            password = System.getenv().getOrDefault("WARREN_TEST_DB_PASSWORD", "warren");
            System.out.println("[warren tests] PostgreSQL from WARREN_TEST_DB_URL: " + adminUrl);
        } else if (docker()) {
            PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
            container.start();
            adminUrl = container.getJdbcUrl();
            user = container.getUsername();
            password = container.getPassword();
            System.out.println("[warren tests] PostgreSQL from Testcontainers: " + adminUrl);
        } else {
            adminUrl = "jdbc:postgresql://127.0.0.1:5432/postgres";
            user = "warren";
            password = "warren";
            System.out.println("[warren tests] PostgreSQL on this machine (no Docker engine): " + adminUrl + " as warren");
        }
    }

    private static boolean docker() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }
}
