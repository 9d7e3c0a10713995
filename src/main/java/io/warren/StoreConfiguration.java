package io.warren;

import com.zaxxer.hikari.HikariDataSource;
import io.warren.observe.JobMetrics;
import io.warren.observe.Redact;
import io.warren.store.Database;
import io.warren.store.FirstRuns;
import io.warren.store.GroupCommit;
import io.warren.store.H2Compaction;
import io.warren.store.PostgresStats;
import io.warren.store.JobReads;
import io.warren.store.JobTransitions;
import io.warren.store.NewJobs;
import io.warren.store.Outbox;
import io.warren.store.StoreHealth;
import java.time.Duration;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;

/**
 * The job database: the pool (waited for and migrated at start), group commit, the health probe
 * and the store's parts: new jobs, their transitions, reads, the outbox. H2 in the data folder unless warren.db.url names another database.
 */
@Configuration
public class StoreConfiguration implements CamelConfiguration {

    @PropertyInject(value = "warren.db.url", defaultValue = "")
    private String url;
    @PropertyInject("warren.data.dir")
    private String dataDir;
    @PropertyInject(value = "warren.db.user", defaultValue = "")
    private String user;
    @PropertyInject(value = "warren.db.password", defaultValue = "")
    private String password;
    @PropertyInject(value = "warren.db.password-file", defaultValue = "")
    private String passwordFile;
    @PropertyInject("warren.db.pool-size")
    private int poolSize;
    @PropertyInject("warren.db.startup-timeout-seconds")
    private long startupTimeoutSeconds;
    @PropertyInject("warren.idempotency.retention-hours")
    private long idempotencyRetentionHours;
    @PropertyInject("warren.outbox.relay-after-millis")
    private long relayAfterMillis;

    @BindToRegistry(lazy = true)
    public HikariDataSource jobDataSource() {
        String jdbcUrl = Database.url(url.isBlank() ? null : url.trim(), dataDir);
        HikariDataSource pool = Database.pool(jdbcUrl, user.isBlank() ? null : user.trim(),
                Settings.secret(password, passwordFile), poolSize);
        StartupWait.until("Job database at " + Redact.passwords(jdbcUrl), Duration.ofSeconds(startupTimeoutSeconds),
                () -> Database.migrate(pool));
        return pool;
    }

    @BindToRegistry(lazy = true)
    public GroupCommit groupCommit(HikariDataSource dataSource, JobMetrics metrics) {
        String url = dataSource.getJdbcUrl();
        return new GroupCommit(dataSource, url, Database.isEmbedded(url), metrics.registry());
    }

    /** Compacts an H2 file now and then (H2 does not give space back on its own); nothing for PostgreSQL. */
    @BindToRegistry(lazy = true)
    public H2Compaction h2Compaction(HikariDataSource dataSource, GroupCommit commits, JobMetrics metrics) {
        return H2Compaction.startIfH2(dataSource.getJdbcUrl(), dataSource, commits, metrics.registry());
    }

    /** Analyzes a PostgreSQL table that grew far past what its cached plans were made for; nothing for H2. */
    @BindToRegistry(lazy = true)
    public PostgresStats postgresStats(HikariDataSource dataSource) {
        return PostgresStats.startIfPostgres(dataSource.getJdbcUrl(), dataSource);
    }

    @BindToRegistry(lazy = true)
    public StoreHealth storeHealth(HikariDataSource dataSource) {
        return StoreHealth.start(dataSource, Duration.ofSeconds(1));
    }

    @BindToRegistry(lazy = true)
    public NewJobs newJobs(HikariDataSource dataSource, GroupCommit groupCommit, StoreHealth health) {
        return new NewJobs(dataSource, groupCommit, Duration.ofHours(idempotencyRetentionHours), Duration.ofMillis(relayAfterMillis),
                health);
    }

    @BindToRegistry(lazy = true)
    public JobTransitions jobTransitions(HikariDataSource dataSource, GroupCommit groupCommit) {
        return new JobTransitions(dataSource, groupCommit);
    }

    @BindToRegistry(lazy = true)
    public FirstRuns firstRuns(HikariDataSource dataSource, GroupCommit groupCommit, JobTransitions transitions) {
        return new FirstRuns(dataSource, groupCommit, transitions, Duration.ofMillis(relayAfterMillis));
    }

    @BindToRegistry(lazy = true)
    public JobReads jobReads(HikariDataSource dataSource) {
        return new JobReads(dataSource);
    }

    @BindToRegistry(lazy = true)
    public Outbox outbox(HikariDataSource dataSource) {
        return new Outbox(dataSource);
    }

    /** At start: wait for the database and migrate it; at stop, close in reverse order. */
    @Override
    public void configure(CamelContext context) {
        HikariDataSource dataSource = Beans.get(context, HikariDataSource.class);
        Beans.closeAtStop(context, dataSource);
        Beans.closeAtStop(context, Beans.get(context, GroupCommit.class));
        Beans.closeAtStop(context, Beans.get(context, FirstRuns.class)); // before the group commit: its marks go there
        Beans.closeAtStop(context, Beans.get(context, StoreHealth.class));
        Beans.closeAtStop(context, Beans.get(context, H2Compaction.class));
        Beans.closeAtStop(context, Beans.get(context, PostgresStats.class));
    }
}
