package io.warren.worker;

import io.warren.broker.JobTopology;
import io.warren.observe.JobMetrics;
import io.warren.types.JobTypes;
import org.apache.camel.Route;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route policy of every worker route: before the route starts, declares its job type's queues and
 * makes the type known to the intake; when the route is removed, the intake forgets the type. The
 * job type is the consumer's routing key, so a route file names it once.
 */
public class WorkerTopology extends RoutePolicySupport {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerTopology.class);

    private final JobTopology topology;
    private final JobTypes types;
    private final JobMetrics metrics;
    private final QueueWatch watch;

    public WorkerTopology(JobTopology topology, JobTypes types, JobMetrics metrics, QueueWatch watch) {
        this.topology = topology;
        this.types = types;
        this.metrics = metrics;
        this.watch = watch;
    }

    @Override
    public void onInit(Route route) {
        String type = typeOf(route);
        String owner = types.routeOf(type);
        if (owner != null && !owner.equals(route.getRouteId())) {
            throw new IllegalStateException("job type '" + type + "' is already live in route " + owner
                    + "; route " + route.getRouteId() + " may not claim it too");
        }
        // a work queue that is not there (new type, or lost by the broker) gets its QUEUED jobs back
        watch.ensure(type, false);
        topology.declareType(type);
        types.register(type, route.getRouteId());
        metrics.queueDepth(topology.names().workQueue(type));
        metrics.queueDepth(topology.names().deadQueue(type));
        LOG.info("Job type '{}' is live: route {} consumes {}", type, route.getRouteId(),
                topology.names().workQueue(type));
    }

    @Override
    public void onRemove(Route route) {
        String type = typeOf(route);
        if (!route.getRouteId().equals(types.routeOf(type))) {
            return; // a route refused at start: the type belongs to another one
        }
        types.unregister(type);
        LOG.info("Job type '{}' removed with route {}", type, route.getRouteId());
    }

    private static String typeOf(Route route) {
        if (route.getEndpoint() instanceof SpringRabbitMQEndpoint endpoint && !endpoint.getRoutingKey().isEmpty()) {
            String type = endpoint.getRoutingKey();
            if (!JobTypes.isValidName(type)) {
                throw new IllegalArgumentException("Route " + route.getRouteId() + ": job type '" + type
                        + "' is not a valid name (1 to 64 of a-z, 0-9 and '-', starting with a letter or digit)");
            }
            return type;
        }
        throw new IllegalStateException("Route " + route.getRouteId()
                + " uses the worker policy but does not consume from spring-rabbitmq with a routingKey");
    }
}
