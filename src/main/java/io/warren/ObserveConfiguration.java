package io.warren;

import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.warren.broker.BrokerInUse;
import io.warren.broker.Names;
import io.warren.observe.JobMetrics;
import io.warren.observe.ReadinessCheck;
import io.warren.store.StoreHealth;
import io.warren.types.JobTypes;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/** Metrics (warren's own meters in the registry Camel's Prometheus endpoint serves) and the readiness checks. */
@Configuration
public class ObserveConfiguration implements CamelConfiguration {

    @BindToRegistry(lazy = true)
    public JobMetrics jobMetrics(CamelContext context, RabbitAdmin admin) {
        return new JobMetrics(meters(context), admin);
    }

    @Override
    public void configure(CamelContext context) {
        Beans.get(context, JobMetrics.class).queueDepth(Beans.get(context, Names.class).auditQueue());
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health == null) {
            return;
        }
        BrokerInUse broker = Beans.get(context, BrokerInUse.class);
        CachingConnectionFactory factory = Beans.get(context, CachingConnectionFactory.class);
        health.register(new ReadinessCheck("broker", "RabbitMQ at " + broker.address(), () -> BrokerInUse.reach(factory),
                broker.isEmbedded()
                        ? "EMBEDDED DEVELOPMENT BROKER (Qpid Broker-J in warren's process): for trying warren only, not for production"
                        : null));
        health.register(new ReadinessCheck("database", "Job database", Beans.get(context, StoreHealth.class)::requireUp, null));
        JobTypes types = Beans.get(context, JobTypes.class);
        health.register(new ReadinessCheck("queues", "Work queues of the live job types", () -> {
            if (!types.queueTroubles().isEmpty()) {
                throw new IllegalStateException(String.join("; ", types.queueTroubles().values()));
            }
        }, null));
    }

    /**
     * The registry Camel's Prometheus endpoint serves, made here if Camel has not made it yet.
     * /observe/metrics may be open to scrapers: a file endpoint's name would show the data folder.
     */
    private static PrometheusMeterRegistry meters(CamelContext context) {
        PrometheusMeterRegistry meters = context.getRegistry()
                .lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, PrometheusMeterRegistry.class);
        if (meters == null) {
            meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
        }
        meters.config().meterFilter(MeterFilter.replaceTagValues("endpointName", name -> name.startsWith("file:") ? "file" : name));
        return meters;
    }
}
