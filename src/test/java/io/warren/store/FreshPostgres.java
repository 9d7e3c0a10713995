package io.warren.store;

import com.zaxxer.hikari.HikariDataSource;
import io.warren.it.TestDatabase;
import java.sql.SQLException;
import java.util.Map;

/** A migrated pool on a PostgreSQL database of its own (TestDatabase says where), dropped on close. */
final class FreshPostgres implements AutoCloseable {

    private final String name;
    private final HikariDataSource dataSource;

    FreshPostgres(String prefix, int poolSize) throws SQLException {
        this.name = prefix + "_" + System.nanoTime();
        Map<String, String> settings = TestDatabase.settingsFor(name);
        this.dataSource = Database.pool(settings.get("warren.db.url"), settings.get("warren.db.user"), settings.get("warren.db.password"),
                poolSize);
        try {
            Database.migrate(dataSource);
        } catch (RuntimeException e) {
            close(); // no database left behind by a failed migration
            throw e;
        }
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() throws SQLException {
        dataSource.close();
        TestDatabase.drop(name);
    }
}
