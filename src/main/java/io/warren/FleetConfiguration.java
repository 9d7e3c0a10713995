package io.warren;

import com.zaxxer.hikari.HikariDataSource;
import io.warren.broker.JobTopology;
import io.warren.fleet.Fleet;
import io.warren.fleet.FleetApi;
import io.warren.fleet.FleetStore;
import io.warren.observe.ReadinessCheck;
import io.warren.store.PausedTypes;
import io.warren.types.JobTypes;
import io.warren.types.TypePauses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.health.HealthCheckRegistry;

/**
 * This instance in the fleet: its id (warren.instance.id, or host-port), its heartbeat row and
 * its command queue, declared at start.
 */
@Configuration
public class FleetConfiguration implements CamelConfiguration {

    @PropertyInject(value = "warren.instance.id", defaultValue = "")
    private String configuredId;
    @PropertyInject("warren.http.port")
    private int port;

    @BindToRegistry(lazy = true)
    public FleetStore fleetStore(HikariDataSource dataSource) {
        return new FleetStore(dataSource);
    }

    @BindToRegistry(lazy = true)
    public Fleet fleet(FleetStore store, JobTypes types, TypePauses pauses, CamelContext context) throws Exception {
        Fleet fleet = new Fleet(store, types, pauses, context, instanceId(), hostName(), port);
        context.addStartupListener(fleet); // it runs commands once every route has started
        return fleet;
    }

    /** Pauses are per instance, kept in the job store. */
    @BindToRegistry(lazy = true)
    public TypePauses typePauses(HikariDataSource dataSource, JobTypes types) {
        return new TypePauses(new PausedTypes(dataSource), types, instanceId());
    }

    @BindToRegistry(lazy = true)
    public FleetApi fleetApi(FleetStore store, @PropertyInject("warren.instance.heartbeat-seconds") long heartbeatSeconds) {
        FleetApi api = new FleetApi();
        api.setStore(store);
        api.setHeartbeatSeconds(heartbeatSeconds);
        return api;
    }

    /** The id is made available to the route files, which name the command queue after it. */
    @Override
    public void configure(CamelContext context) {
        String id = instanceId();
        context.getPropertiesComponent().addOverrideProperty("warren.instance.id", id);
        Beans.get(context, JobTopology.class).declareCommands(
                context.resolvePropertyPlaceholders("{{warren.exchange.commands}}"),
                context.resolvePropertyPlaceholders("{{warren.queue.commands-prefix}}") + id, id);
        HealthCheckRegistry health = HealthCheckRegistry.get(context);
        if (health != null) {
            health.register(new ReadinessCheck("fleet", "This instance", Beans.get(context, Fleet.class)::requireHeartbeat, null,
                    "is not in the fleet yet"));
        }
    }

    /** Reduced to a-z, 0-9 and '-': it names a queue. */
    private String instanceId() {
        String id = (configuredId.isBlank() ? hostName() + "-" + port : configuredId.trim())
                .toLowerCase().replaceAll("[^a-z0-9-]", "-");
        return id.substring(0, Math.min(id.length(), 64));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "warren";
        }
    }
}
