package io.warren;

import io.warren.observe.Redact;

import io.warren.http.HttpFront;
import io.warren.http.HttpLimits;
import io.warren.http.HttpPort;
import io.warren.observe.ReadinessCheck;

import com.zaxxer.hikari.HikariDataSource;
import io.warren.broker.BrokerAddress;
import io.warren.broker.BrokerConnection;
import io.warren.broker.BrokerChoice;
import io.warren.broker.BrokerTls;
import io.warren.broker.EmbeddedBroker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import io.warren.broker.JobTopology;
import io.warren.types.JobTypes;
import io.warren.broker.Names;
import io.warren.worker.QueueWatch;
import io.warren.worker.WorkerTopology;
import io.warren.intake.Drain;
import io.warren.security.AccessPolicy;
import io.warren.security.ApiGuard;
import io.warren.security.Credentials;
import io.warren.security.RateLimiter;
import io.warren.security.LoginThrottle;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.warren.store.Database;
import io.warren.store.GroupCommit;
import io.warren.store.H2Compaction;
import io.warren.store.JobStore;
import io.warren.store.StoreHealth;
import io.warren.fleet.Fleet;
import io.warren.fleet.FleetStore;
import io.warren.observe.JobMetrics;
import io.warren.ops.QueueAdmin;
import io.warren.worker.JobSteps;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.component.micrometer.MicrometerConstants;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.config.RetryInterceptorBuilder;
import org.springframework.amqp.rabbit.retry.ImmediateRequeueMessageRecoverer;

/**
 * The beans a route cannot declare for itself: the broker connection and the job database (both
 * waited for at start), the topology declarer, the registry of live job types and the drain flag.
 * Processors are declared in the route files and refer to these by name.
 */
public class WarrenBeans extends MainListenerSupport {

    private static final Logger LOG = LoggerFactory.getLogger(WarrenBeans.class);
    private static final String DEFAULT_BROKER_URL = "amqp://guest:guest@localhost:5672/";

    private HikariDataSource dataSource;
    private GroupCommit groupCommit;
    private H2Compaction h2Compaction;
    private StoreHealth storeHealth;
    private EmbeddedBroker embedded;

    /** Before the route files are read: their beans refer to these. */
    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        PropertiesComponent settings = context.getPropertiesComponent();
        Registry registry = context.getRegistry();
        HealthCheckRegistry health = HealthCheckRegistry.get(context);

        HttpPort.requireFree(setting(settings, "warren.http.host"), Integer.parseInt(setting(settings, "warren.http.port")));

        BrokerAddress address = BrokerAddress.parse(brokerUrl(settings));
        String brokerPasswordFile = optional(settings, "warren.rabbitmq.password-file");
        if (brokerPasswordFile != null) {
            address = address.withPassword(Database.secret(null, brokerPasswordFile));
        }
        SSLContext tls = address.isTls() && optional(settings, "warren.rabbitmq.tls.truststore") != null
                ? BrokerTls.context(optional(settings, "warren.rabbitmq.tls.truststore"),
                        optional(settings, "warren.rabbitmq.tls.truststore-password"),
                        optional(settings, "warren.rabbitmq.tls.keystore"),
                        optional(settings, "warren.rabbitmq.tls.keystore-password"))
                : null;
        CachingConnectionFactory factory = BrokerConnection.factory(address, tls,
                Integer.parseInt(setting(settings, "warren.rabbitmq.channel-cache-size")),
                Integer.parseInt(setting(settings, "warren.rabbitmq.consumer-threads")));
        Runnable brokerProbe = () -> {
            try (Connection ignored = factory.createConnection()) {
                // reaching the broker is the whole check
            }
        };
        StartupWait.until("RabbitMQ at " + address, seconds(settings, "warren.rabbitmq.startup-timeout-seconds"), brokerProbe);

        String dbUrl = Database.url(optional(settings, "warren.db.url"), setting(settings, "warren.data.dir"));
        dataSource = Database.pool(dbUrl, optional(settings, "warren.db.user"),
                Database.secret(optional(settings, "warren.db.password"), optional(settings, "warren.db.password-file")),
                Integer.parseInt(setting(settings, "warren.db.pool-size")));
        StartupWait.until("Job database at " + Redact.passwords(dbUrl), seconds(settings, "warren.db.startup-timeout-seconds"),
                () -> Database.migrate(dataSource));
        groupCommit = new GroupCommit(dataSource);
        h2Compaction = H2Compaction.startIfH2(dbUrl, dataSource);
        storeHealth = StoreHealth.start(dataSource, Duration.ofSeconds(1));
        JobStore store = new JobStore(dataSource, groupCommit,
                Duration.ofHours(Long.parseLong(setting(settings, "warren.idempotency.retention-hours"))), storeHealth);

        Names names = new Names(
                setting(settings, "warren.exchange.jobs"),
                setting(settings, "warren.exchange.dead"),
                setting(settings, "warren.queue.audit"),
                setting(settings, "warren.queue.work-prefix"),
                setting(settings, "warren.queue.dead-prefix"));
        JobTopology topology = new JobTopology(new RabbitAdmin(factory), names, embedded != null);
        topology.declareShared();
        JobTypes types = new JobTypes();

        registry.bind("rabbitConnectionFactory", factory);
        registry.bind("jobsTemplate", new RabbitTemplate(factory));
        registry.bind("jobStore", store);
        // the audit consumer never drops a copy: what its route could not handle is requeued
        registry.bind("auditRetry", RetryInterceptorBuilder.stateless().maxAttempts(1)
                .recoverer(new ImmediateRequeueMessageRecoverer()).build());
        // the registry Camel's Prometheus endpoint serves; warren's own meters go into it too
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // /observe/metrics may be open to scrapers: a file endpoint's name would show the data folder
        meters.config().meterFilter(MeterFilter.replaceTagValues("endpointName", name -> name.startsWith("file:") ? "file" : name));
        registry.bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        JobMetrics metrics = new JobMetrics(meters, new RabbitAdmin(factory));
        registry.bind("jobMetrics", metrics);
        JobSteps steps = new JobSteps(store, metrics);
        registry.bind("jobSteps", steps);
        registry.bind("jobAttemptFailed", (Processor) steps::attemptFailed);
        registry.bind("jobRetrying", (Processor) steps::retrying);
        registry.bind("jobTopology", topology);
        registry.bind("jobTypes", types);
        QueueWatch queueWatch = new QueueWatch(topology, types, store);
        registry.bind("queueWatch", queueWatch);
        registry.bind("workerTopology", new WorkerTopology(topology, types, metrics, queueWatch));
        registry.bind("queueAdmin", new QueueAdmin(factory, names, types, address,
                embedded != null ? null : optional(settings, "warren.rabbitmq.management-url"), store));
        metrics.queueDepth(names.auditQueue());
        if (health != null) {
            health.register(new ReadinessCheck("broker", "RabbitMQ at " + address, brokerProbe, embedded == null ? null
                    : "EMBEDDED DEVELOPMENT BROKER (Qpid Broker-J in warren's process): for trying warren only, not for production"));
            health.register(new ReadinessCheck("database", "Job database", storeHealth::requireUp, null));
            health.register(new ReadinessCheck("queues", "Work queues of the live job types", () -> {
                if (!types.queueTroubles().isEmpty()) {
                    throw new IllegalStateException(String.join("; ", types.queueTroubles().values()));
                }
            }, null));
        }

        HttpLimits limits = new HttpLimits(Integer.parseInt(setting(settings, "warren.http.idle-timeout-seconds")),
                Integer.parseInt(setting(settings, "warren.http.request-timeout-seconds")),
                Integer.parseInt(setting(settings, "warren.http.max-connections")));
        registry.bind("vertxOptions", limits.vertxOptions());
        context.getManagementStrategy().addEventNotifier(new HttpFront(apiGuard(settings), limits));

        String instanceId = instanceId(settings);
        FleetStore fleetStore = new FleetStore(dataSource);
        registry.bind("fleetStore", fleetStore);
        registry.bind("fleet", new Fleet(fleetStore, types, context, instanceId, hostName(),
                Integer.parseInt(setting(settings, "warren.http.port"))));
        topology.declareCommands(setting(settings, "warren.exchange.commands"),
                setting(settings, "warren.queue.commands-prefix") + instanceId, instanceId);

        Drain drain = new Drain();
        registry.bind("drain", drain);
        context.getManagementStrategy().addEventNotifier(drain);
        // Running jobs get the drain timeout to finish and be acked; the listener default (5 s)
        // would close their channels and run them twice.
        long drainSeconds = Long.parseLong(setting(settings, "warren.worker.drain-timeout-seconds"));
        context.getComponent("spring-rabbitmq", SpringRabbitMQComponent.class).setShutdownTimeout(drainSeconds * 1000);
        context.getShutdownStrategy().setTimeout(drainSeconds + 10);
    }

    @Override
    public void afterStop(BaseMainSupport main) {
        if (h2Compaction != null) {
            h2Compaction.close();
        }
        if (storeHealth != null) {
            storeHealth.close();
        }
        if (groupCommit != null) {
            groupCommit.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }

    /**
     * This instance's id in the fleet: warren.instance.id, or host-port. It names the instance's
     * command queue, so it is reduced to a-z, 0-9 and '-' and made available to the route files.
     */
    private static String instanceId(PropertiesComponent settings) {
        String configured = optional(settings, "warren.instance.id");
        String id = (configured != null ? configured : hostName() + "-" + setting(settings, "warren.http.port"))
                .toLowerCase().replaceAll("[^a-z0-9-]", "-");
        id = id.substring(0, Math.min(id.length(), 64));
        settings.addOverrideProperty("warren.instance.id", id);
        return id;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "warren";
        }
    }

    /** The configured RabbitMQ, or the embedded broker's URL after starting it (see BrokerChoice). */
    private String brokerUrl(PropertiesComponent settings) {
        String url = setting(settings, "warren.rabbitmq.url");
        boolean configured = System.getProperty("warren.rabbitmq.url") != null || System.getenv("WARREN_RABBITMQ_URL") != null
                || !DEFAULT_BROKER_URL.equals(url.trim());
        String mode = setting(settings, "warren.broker");
        if (BrokerChoice.choose(mode, configured, !configured && answers("localhost", 5672)) == BrokerChoice.Kind.EXTERNAL) {
            return url;
        }
        try {
            embedded = EmbeddedBroker.start(Path.of(setting(settings, "warren.data.dir"), "embedded-broker").toAbsolutePath().normalize(),
                    Integer.parseInt(setting(settings, "warren.broker.embedded-port")));
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return embedded.url();
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The access guard, or null with warren.security.enabled=false. Shows a first admin key once. */
    private static ApiGuard apiGuard(PropertiesComponent settings) {
        if (!Boolean.parseBoolean(setting(settings, "warren.security.enabled"))) {
            LOG.warn("Security is OFF (warren.security.enabled=false): anyone who reaches port {} may submit jobs and administer warren",
                    setting(settings, "warren.http.port"));
            return null;
        }
        Path file = Path.of(setting(settings, "warren.security.credentials-file"));
        Credentials credentials = new Credentials(file, optional(settings, "warren.security.api-keys"));
        credentials.createAdminKeyIfNone().ifPresent(key -> System.out.println("""

                ==========================================================================
                 warren generated an admin API key. It is shown this once; only its hash
                 is kept (%s). Use it as: Authorization: Bearer <key>

                   %s

                 Create more with: java -jar warren.jar credentials add-key <name> <roles>
                ==========================================================================
                """.formatted(file, key)));
        return new ApiGuard(new AccessPolicy(Boolean.parseBoolean(setting(settings, "warren.security.metrics-open"))),
                credentials,
                new RateLimiter(Double.parseDouble(setting(settings, "warren.security.rate-limit-per-second")),
                        Double.parseDouble(setting(settings, "warren.security.rate-limit-burst"))),
                new LoginThrottle(Integer.parseInt(setting(settings, "warren.security.failed-logins-per-minute")), Duration.ofMinutes(1)));
    }

    private static Duration seconds(PropertiesComponent settings, String key) {
        return Duration.ofSeconds(Long.parseLong(setting(settings, key)));
    }

    private static String setting(PropertiesComponent settings, String key) {
        return settings.resolveProperty(key)
                .orElseThrow(() -> new IllegalStateException("Setting " + key + " is missing"));
    }

    private static String optional(PropertiesComponent settings, String key) {
        return settings.resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
    }
}
