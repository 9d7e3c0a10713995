package io.warren.types;

import io.warren.http.ApiError;
import io.warren.store.PausedTypes;
import io.warren.store.StoreUnavailable;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pausing a job type's workers on this instance (the types API, fleet STOP and START). The pause is
 * kept in the job store, so a restart or a reload of the type's file does not silently resume it:
 * the type's consumer starts held. A fleet STOP for all instances holds the type on instances
 * that start later too ({@link PausedTypes#fleetCommand}). A pause lets running jobs finish and be acked first; jobs keep
 * being accepted and wait Ready in the work queue.
 */
public class TypePauses {

    private static final Logger LOG = LoggerFactory.getLogger(TypePauses.class);

    private final PausedTypes store;
    private final JobTypes types;
    private final String instanceId;
    /** This instance's paused types: the store's rows, read once per type start, changed only here. */
    private final Set<String> paused = ConcurrentHashMap.newKeySet();

    public TypePauses(PausedTypes store, JobTypes types, String instanceId) {
        this.store = store;
        this.types = types;
        this.instanceId = instanceId;
    }

    public void pause(CamelContext context, String type, String by) throws Exception {
        store.pause(type, instanceId, by);
        paused.add(type);
        context.getRouteController().stopRoute(types.routeOf(type));
        LOG.info("Job type '{}' paused by {} on {}; it stays paused across restarts until resumed", type, by, instanceId);
    }

    /** Refused while the fleet holds the type paused: one instance resuming would not outlive its restart. */
    public void resume(CamelContext context, String type, String by) throws Exception {
        Optional<PausedTypes.Pause> fleet = store.pauseOf(type, PausedTypes.FLEET);
        if (fleet.isPresent()) {
            throw new ApiError(409, "paused_fleet_wide", "Job type '" + type + "' is paused for the whole fleet (by "
                    + fleet.get().by() + " at " + fleet.get().at() + "); resume it with a fleet START command for target 'all'");
        }
        store.resume(type, instanceId);
        paused.remove(type);
        // a consumer that started held (paused at start) begins consuming when its route starts again
        context.getRouteController().stopRoute(types.routeOf(type));
        context.getRouteController().startRoute(types.routeOf(type));
        LOG.info("Job type '{}' resumed by {} on {}", type, by, instanceId);
    }

    /**
     * At a type's start: whether it is paused here, from the store (a store that does not answer
     * counts as not paused). Status reads use what this remembers, not the database.
     */
    public boolean isPaused(String type) {
        try {
            boolean held = store.pauseOf(type, instanceId).isPresent();
            if (held) {
                paused.add(type);
            } else {
                paused.remove(type);
            }
            return held;
        } catch (StoreUnavailable e) {
            LOG.warn("Could not read whether job type '{}' is paused ({}); its workers start", type, e.getMessage());
            return false;
        }
    }

    /** RUNNING or PAUSED: the workers of the type on this instance. */
    public String workers(CamelContext context, String type) {
        ServiceStatus status = context.getRouteController().getRouteStatus(types.routeOf(type));
        return status != null && status.isStarted() && !paused.contains(type) ? "RUNNING" : "PAUSED";
    }
}
