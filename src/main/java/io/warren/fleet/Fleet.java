package io.warren.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warren.http.HttpReply;
import io.warren.types.JobTypes;
import io.warren.types.TypePauses;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance in the fleet (routes/fleet.yaml): its heartbeat with the state of each job type, and
 * the execution of the commands meant for it, whichever way they arrive (its command queue, or
 * polling the database while the broker is away). A command runs once per instance: its target
 * flag is claimed before it runs.
 */
public class Fleet implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

    private static final int STARTUP_WAIT_SECONDS = 60;

    private final FleetStore store;
    private final JobTypes types;
    private final TypePauses pauses;
    private final CamelContext context;
    private final String instanceId;
    private final String host;
    private final int port;
    private final Instant startedAt = Instant.now();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean heartbeatWritten;

    public Fleet(FleetStore store, JobTypes types, TypePauses pauses, CamelContext context, String instanceId, String host,
                 int port) {
        this.store = store;
        this.types = types;
        this.pauses = pauses;
        this.context = context;
        this.instanceId = instanceId;
        this.host = host;
        this.port = port;
    }

    public String instanceId() {
        return instanceId;
    }

    /**
     * Serialized: the timer, the start-up and a command each write one. Two at once on a first
     * start both found no row and both inserted it (the loser logged a key violation), and an
     * older state could be written last.
     */
    public synchronized void heartbeat() {
        store.heartbeat(instanceId, host, port, startedAt, state().toString());
        heartbeatWritten = true;
    }

    /** Readiness: until its first heartbeat, the fleet does not see this instance (a command for all would miss it). */
    public void requireHeartbeat() {
        if (!heartbeatWritten) {
            throw new IllegalStateException("no heartbeat written yet");
        }
    }

    /** A command message from the broker: {"commandId": "..."}. */
    public void onMessage(String body) throws Exception {
        execute(HttpReply.JSON.readTree(body).path("commandId").asText());
    }

    /** Commands PENDING for this instance that the broker did not bring (it was down when they were issued). */
    public void pollPending() {
        if (started.getCount() > 0) {
            return; // the next poll, once every route has started
        }
        for (String commandId : store.pending(instanceId, Instant.now().minusSeconds(2))) {
            execute(commandId);
        }
    }

    /**
     * Commands run once Camel has started every route. One that waited in the command queue arrives
     * while the instance starts: its job type would not be live yet ("no job type"), or its STOP or
     * START would stop and start the type's route while Camel is still starting it, which can leave
     * the workers stopped. What does not get to run here stays PENDING for {@link #pollPending}.
     */
    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (alreadyStarted) {
            started.countDown();
        }
    }

    /** The first heartbeat is written here, with every type's state, so the instance answers ready already in the fleet. */
    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        started.countDown();
        try {
            heartbeat();
        } catch (RuntimeException e) {
            LOG.warn("First heartbeat not written ({}); the heartbeat route retries", e.getMessage());
        }
    }

    void execute(String commandId) {
        if (!awaitStart()) {
            LOG.warn("Command {} left PENDING: this instance has not started yet; the database poll runs it once it has", commandId);
            return;
        }
        if (!store.claim(commandId, instanceId)) {
            return; // done already, by the other path
        }
        FleetStore.Command command = store.command(commandId).orElseThrow();
        LOG.info("Executing command {} {} {} issued by {}", commandId, command.command(), command.args(), command.issuedBy());
        try {
            JsonNode args = HttpReply.JSON.readTree(command.args());
            String type = args.path("type").isMissingNode() || args.path("type").isNull() ? null : args.path("type").asText();
            if (type != null && !types.isKnown(type)) {
                store.finish(commandId, instanceId, false, "no job type '" + type + "' on " + instanceId);
                return;
            }
            List<String> affected = type == null ? types.names() : List.of(type);
            for (String t : affected) {
                apply(command.command(), t, "command " + commandId + " of " + command.issuedBy());
            }
            store.finish(commandId, instanceId, true, command.command() + " " + affected);
            heartbeat();
        } catch (Exception e) {
            LOG.warn("Command {} failed on {}: {}", commandId, instanceId, e.getMessage());
            store.finish(commandId, instanceId, false, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Whether every route has started; waits for it (in steps, so a stop does not wait for it) up to a minute. */
    private boolean awaitStart() {
        try {
            for (int i = 0; i < STARTUP_WAIT_SECONDS && !context.isStopping() && !context.isStopped(); i++) {
                if (started.await(1, TimeUnit.SECONDS)) {
                    return true;
                }
            }
            return started.getCount() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void apply(String command, String type, String by) throws Exception {
        String route = types.routeOf(type);
        switch (command) {
            case "STOP" -> pauses.pause(context, type, by);
            case "START" -> pauses.resume(context, type, by);
            case "RESTART" -> {
                context.getRouteController().stopRoute(route);
                context.getRouteController().startRoute(route);
            }
            case "DISABLE" -> types.disable(type);
            case "ENABLE" -> types.enable(type);
            default -> throw new IllegalArgumentException("unknown command " + command);
        }
    }

    /** Each job type's workers (RUNNING or PAUSED) and intake (OPEN or DISABLED) on this instance. */
    ObjectNode state() {
        ObjectNode state = HttpReply.JSON.createObjectNode();
        for (String type : types.names()) {
            state.putObject(type)
                    .put("workers", pauses.workers(context, type))
                    .put("intake", types.isDisabled(type) ? "DISABLED" : "OPEN");
        }
        return state;
    }
}
