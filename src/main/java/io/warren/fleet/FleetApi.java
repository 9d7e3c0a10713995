package io.warren.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.warren.api.JobProperties;
import io.warren.http.ApiError;
import io.warren.http.HttpReply;
import io.warren.http.KnownFields;
import io.warren.intake.JobIds;
import io.warren.security.ApiGuard;
import io.warren.types.JobTypes;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/**
 * The fleet API (routes/fleet.yaml): the instances, and commands to one instance or to all. A command
 * is stored first, with a PENDING flag per target, then published to the commands exchange; if the
 * broker is away, the targets find it by polling the database.
 */
public class FleetApi {

    private static final Set<String> COMMANDS = Set.of("START", "STOP", "RESTART", "ENABLE", "DISABLE");
    private static final Set<String> REQUEST_FIELDS = Set.of("target", "command", "args", "issuedBy");

    private FleetStore store;
    private Duration aliveWithin = Duration.ofSeconds(30);

    public void setStore(FleetStore store) {
        this.store = store;
    }

    /** An instance unseen for three heartbeats is not alive: broadcasts do not wait for it. */
    public void setHeartbeatSeconds(long seconds) {
        this.aliveWithin = Duration.ofSeconds(3 * seconds);
    }

    /** GET /api/v1/instances */
    public void instances(Exchange exchange) throws IOException {
        List<InstanceView> instances = new ArrayList<>();
        for (FleetStore.Instance instance : store.instances()) {
            instances.add(new InstanceView(instance.id(), instance.host(), instance.port(), instance.startedAt().toString(),
                    instance.lastSeen().toString(), alive(instance),
                    instance.state() == null ? HttpReply.JSON.createObjectNode() : HttpReply.JSON.readTree(instance.state())));
        }
        HttpReply.send(exchange, 200, new Instances(instances), Map.of());
    }

    /** POST /api/v1/commands {"target", "command", "args": {"type"}, "issuedBy"}: stores it; the route then publishes it. */
    public void issue(Exchange exchange) throws IOException {
        JsonNode request = parse(exchange.getMessage().getBody(String.class));
        String command = request.path("command").asText("").toUpperCase();
        if (!COMMANDS.contains(command)) {
            throw new ApiError(400, "unknown_command", "command must be one of " + COMMANDS);
        }
        KnownFields.require(request, REQUEST_FIELDS, "the command");
        JsonNode args = request.path("args").isMissingNode() ? HttpReply.JSON.createObjectNode() : request.get("args");
        if (!args.isObject() || (args.has("type") && !args.get("type").isTextual())) {
            throw new ApiError(400, "invalid_args", "args must be an object, with an optional \"type\": \"<job type>\"");
        }
        KnownFields.require(args, Set.of("type"), "args");
        if (!request.path("target").isTextual() || (request.has("issuedBy") && !request.get("issuedBy").isTextual())) {
            throw new ApiError(400, "invalid_command", "target and issuedBy must be strings");
        }
        String target = request.path("target").asText("");
        List<FleetStore.Instance> instances = store.instances();
        List<String> targets = target.equals("all")
                ? instances.stream().filter(this::alive).map(FleetStore.Instance::id).toList()
                : instances.stream().map(FleetStore.Instance::id).filter(target::equals).toList();
        if (targets.isEmpty() && target.equals("all")) {
            throw new ApiError(503, "no_live_instance", "No instance has written a heartbeat in the last " + aliveWithin.toSeconds()
                    + " s: there is no target for 'all'; retry once an instance is ready", Map.of("Retry-After", "5"));
        }
        if (targets.isEmpty()) {
            throw new ApiError(404, "unknown_target", "target must be 'all' or one of " + instances.stream().map(FleetStore.Instance::id).toList());
        }
        Set<String> typesRun = typesRunBy(instances, targets);
        if (args.has("type")) {
            requireKnownType(args.get("type").textValue(), typesRun);
        }
        String issuedBy = request.path("issuedBy").asText(ApiGuard.principalOf(exchange));
        Instant now = Instant.now();
        String id = JobIds.next(now.toEpochMilli()).toString();
        // for all instances, STOP and START hold for the fleet: for instances that join later too
        Set<String> fleetTypes = args.has("type") ? Set.of(args.get("type").textValue()) : command.equals("STOP") ? typesRun : Set.of();
        store.issue(new FleetStore.Command(id, target, command, args.toString(), issuedBy, now), targets,
                target.equals("all") ? fleetTypes : null);

        exchange.setProperty(JobProperties.COMMAND_ISSUED, new Issued(id, target, command, targets));
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, target);
        message.setHeader(SpringRabbitMQConstants.CONTENT_TYPE, "application/json");
        message.setHeader(SpringRabbitMQConstants.DELIVERY_MODE, org.springframework.amqp.core.MessageDeliveryMode.PERSISTENT);
        message.setBody(HttpReply.JSON.createObjectNode().put("commandId", id).toString());
    }

    /** The 202 after issuing (published, or left for the targets' database polling). */
    public void issued(Exchange exchange) {
        Issued issued = exchange.getProperty(JobProperties.COMMAND_ISSUED, Issued.class);
        HttpReply.send(exchange, 202, issued, Map.of("Location", "/api/v1/commands/" + issued.commandId()));
    }

    /** GET /api/v1/commands/{id} */
    public void show(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        FleetStore.Command command = store.command(id == null ? "" : id)
                .orElseThrow(() -> new ApiError(404, "unknown_command_id", "No command with this id"));
        JsonNode args;
        try {
            args = HttpReply.JSON.readTree(command.args());
        } catch (IOException e) {
            args = HttpReply.JSON.getNodeFactory().textNode(command.args());
        }
        Map<String, TargetState> targets = new TreeMap<>();
        store.targets(command.id()).forEach((instance, t) -> targets.put(instance, new TargetState(t.flag(), t.reason(), t.updatedAt().toString())));
        HttpReply.send(exchange, 200, new CommandView(command.id(), command.target(), command.command(), command.issuedBy(),
                command.issuedAt().toString(), args, targets), Map.of());
    }

    /** The type must be a valid name that at least one target runs (by its last heartbeat). */
    private static Set<String> typesRunBy(List<FleetStore.Instance> instances, List<String> targets) throws IOException {
        Set<String> known = new TreeSet<>();
        for (FleetStore.Instance instance : instances) {
            if (targets.contains(instance.id()) && instance.state() != null) {
                HttpReply.JSON.readTree(instance.state()).fieldNames().forEachRemaining(known::add);
            }
        }
        return known;
    }

    private static void requireKnownType(String type, Set<String> known) {
        if (!JobTypes.isValidName(type)) {
            throw new ApiError(400, "invalid_type", "args.type must be a job type name (a-z, 0-9 and '-')");
        }
        if (!known.contains(type)) {
            throw new ApiError(400, "unknown_type", "No target runs job type '" + type + "'; they run " + known);
        }
    }

    private boolean alive(FleetStore.Instance instance) {
        return instance.lastSeen().isAfter(Instant.now().minus(aliveWithin));
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = text == null || text.isBlank() ? null : HttpReply.JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new ApiError(400, "not_an_object", "Send a JSON object: {\"target\", \"command\", \"args\"}");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ApiError(400, "malformed_json", "The body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public record Instances(List<InstanceView> instances) {
    }

    /** An instance sharing the database: when it was seen, and each job type's workers and intake on it. */
    public record InstanceView(String instanceId, String host, int port, String startedAt, String lastSeen, boolean alive,
                               JsonNode types) {
    }

    /** The 202 of a command: its id and the instances it was sent to. */
    public record Issued(String commandId, String target, String command, List<String> targets) {
    }

    public record CommandView(String commandId, String target, String command, String issuedBy, String issuedAt, JsonNode args,
                              Map<String, TargetState> targets) {
    }

    public record TargetState(String flag, String reason, String updatedAt) {
    }
}
