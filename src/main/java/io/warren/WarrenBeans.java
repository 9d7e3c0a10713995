package io.warren;

import io.warren.broker.BrokerAddress;
import io.warren.broker.BrokerConnection;
import io.warren.broker.BrokerHealthCheck;
import io.warren.broker.JobTopology;
import io.warren.broker.JobTypes;
import io.warren.broker.Names;
import io.warren.broker.WorkerTopology;
import io.warren.intake.Drain;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * The beans a route cannot declare for itself: the broker connection (waited for at start), the
 * topology declarer and the registry of live job types. Processors are declared in the route files.
 */
public class WarrenBeans extends MainListenerSupport {

    /** Before the route files are read: their beans refer to these. */
    @Override
    public void beforeConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        PropertiesComponent settings = context.getPropertiesComponent();
        Registry registry = context.getRegistry();

        HttpPort.requireFree(setting(settings, "warren.http.host"), Integer.parseInt(setting(settings, "warren.http.port")));
        BrokerAddress address = BrokerAddress.parse(setting(settings, "warren.rabbitmq.url"));
        CachingConnectionFactory factory = BrokerConnection.factory(address,
                Integer.parseInt(setting(settings, "warren.rabbitmq.channel-cache-size")));
        BrokerConnection.awaitBroker(factory, address,
                Duration.ofSeconds(Long.parseLong(setting(settings, "warren.rabbitmq.startup-timeout-seconds"))));

        Names names = new Names(
                setting(settings, "warren.exchange.jobs"),
                setting(settings, "warren.exchange.dead"),
                setting(settings, "warren.queue.audit"),
                setting(settings, "warren.queue.work-prefix"),
                setting(settings, "warren.queue.dead-prefix"));
        JobTopology topology = new JobTopology(new RabbitAdmin(factory), names);
        topology.declareShared();
        JobTypes types = new JobTypes();

        registry.bind("rabbitConnectionFactory", factory);
        registry.bind("brokerAddress", address);
        registry.bind("jobTopology", topology);
        registry.bind("jobTypes", types);
        registry.bind("workerTopology", new WorkerTopology(topology, types));

        Drain drain = new Drain();
        registry.bind("drain", drain);
        context.getManagementStrategy().addEventNotifier(drain);
        // Running jobs get the drain timeout to finish and be acked; the listener default (5 s)
        // would close their channels and run them twice.
        long drainSeconds = Long.parseLong(setting(settings, "warren.worker.drain-timeout-seconds"));
        context.getComponent("spring-rabbitmq", SpringRabbitMQComponent.class).setShutdownTimeout(drainSeconds * 1000);
        context.getShutdownStrategy().setTimeout(drainSeconds + 10);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(new BrokerHealthCheck(factory, address));
        }
    }

    private static String setting(PropertiesComponent settings, String key) {
        return settings.resolveProperty(key)
                .orElseThrow(() -> new IllegalStateException("Setting " + key + " is missing"));
    }
}
