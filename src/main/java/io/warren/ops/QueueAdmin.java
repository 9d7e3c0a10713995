package io.warren.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.warren.broker.BrokerAddress;
import io.warren.broker.JobTopology;
import io.warren.broker.Names;
import io.warren.http.ApiError;
import io.warren.http.HttpReply;
import io.warren.observe.Redact;
import io.warren.security.ApiGuard;
import io.warren.store.JobTransitions;
import io.warren.types.JobTypes;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Queue and broker admin (routes/queues.yaml), for warren's own queues only: ready and consumers
 * from a passive declare, unacked and rates from RabbitMQ's management API when it answers. Purge and delete need ?confirm=&lt;queue name&gt; and are logged.
 */
public class QueueAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(QueueAdmin.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final CachingConnectionFactory factory;
    private final RabbitAdmin admin;
    private final Names names;
    private final JobTopology topology;
    private final JobTypes types;
    private final String managementUrl;
    private final String authorization;

    private final JobTransitions transitions;

    public QueueAdmin(CachingConnectionFactory factory, JobTopology topology, JobTypes types, BrokerAddress address, String managementUrl,
                      JobTransitions transitions) {
        this.factory = factory;
        this.transitions = transitions;
        this.admin = new RabbitAdmin(factory);
        this.names = topology.names();
        this.topology = topology;
        this.types = types;
        this.managementUrl = managementUrl == null ? null : managementUrl.replaceAll("/+$", "");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (factory.getUsername() + ":" + address.clientFactory().getPassword()).getBytes(StandardCharsets.UTF_8));
    }

    /** GET /api/v1/queues */
    public void list(Exchange exchange) {
        HttpReply.send(exchange, 200, new Queues(ownQueues().stream().map(this::info).toList()), Map.of());
    }

    /** GET /api/v1/queues/{name} */
    public void show(Exchange exchange) {
        HttpReply.send(exchange, 200, info(ownQueue(exchange)), Map.of());
    }

    /** POST /api/v1/queues/{name}/purge?confirm={name} */
    public void purge(Exchange exchange) {
        String queue = confirmed(exchange);
        String by = ApiGuard.principalOf(exchange);
        int purged = List.of("work", "retry").contains(kindOf(queue)) ? purgeJobs(queue, by) : admin.purgeQueue(queue);
        LOG.warn("Queue {} purged by {}: {} messages removed", queue, by, purged);
        HttpReply.send(exchange, 200, new Purged(queue, purged), Map.of());
    }

    /** DELETE /api/v1/queues/{name}?confirm={name} */
    public void delete(Exchange exchange) {
        String queue = confirmed(exchange);
        if (!"dead".equals(kindOf(queue))) {
            throw new ApiError(409, "queue_in_use", "Queue " + queue + " is in use by warren ("
                    + kindOf(queue) + " queue): deleting it would lose the jobs routed to it. Remove the job type's "
                    + "route file first; a dead-letter queue may be deleted");
        }
        admin.deleteQueue(queue);
        LOG.warn("Queue {} deleted by {}", queue, ApiGuard.principalOf(exchange));
        HttpReply.send(exchange, 200, new Deleted(queue, true), Map.of());
    }

    /**
     * A work queue is emptied message by message, so each purged job is recorded (DISCARDED, history
     * event PURGED) instead of staying QUEUED for ever, or being published again if its queue is
     * ever found missing. Messages arriving meanwhile may be taken too; each is recorded the same.
     */
    private int purgeJobs(String queue, String by) {
        List<String> ids = new ArrayList<>();
        try (Connection connection = factory.createConnection();
             com.rabbitmq.client.Channel channel = connection.createChannel(false)) {
            for (com.rabbitmq.client.GetResponse message = channel.basicGet(queue, false); message != null;
                 message = channel.basicGet(queue, false)) {
                if (message.getProps().getMessageId() != null) {
                    ids.add(message.getProps().getMessageId());
                }
                channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
            }
        } catch (java.io.IOException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Purging " + queue + " stopped after " + ids.size() + " messages: " + e.getMessage(), e);
        } finally {
            transitions.purged(ids, "by " + by + " from " + queue);
        }
        return ids.size();
    }

    /** GET /api/v1/broker: a round trip to the broker, its product and version. */
    public void broker(Exchange exchange) {
        long started = System.nanoTime();
        try (Connection connection = factory.createConnection()) {
            Map<String, Object> server = connection.getDelegate().getServerProperties();
            admin.getQueueProperties(names.auditQueue());
            HttpReply.send(exchange, 200, new Broker(true, Math.round((System.nanoTime() - started) / 1e5) / 10.0,
                    String.valueOf(server.get("product")), String.valueOf(server.get("version")),
                    managementUrl != null && management("/overview") != null, null), Map.of());
        } catch (RuntimeException e) {
            HttpReply.send(exchange, 503, new Broker(false, null, null, null, null, Redact.passwords(String.valueOf(e.getMessage()))),
                    Map.of("Retry-After", "5"));
        }
    }

    /**
     * Ready and consumers from a passive declare (exact, now); unacked and rates from the management
     * API when it answers (its statistics are sampled, every 5 s by default).
     */
    QueueState info(String queue) {
        Properties properties = admin.getQueueProperties(queue);
        if (properties == null) {
            return new MissingQueue(queue, kindOf(queue), false);
        }
        long ready = ((Number) properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).longValue();
        long consumers = ((Number) properties.get(RabbitAdmin.QUEUE_CONSUMER_COUNT)).longValue();
        JsonNode managed = management("/queues/" + enc(factory.getVirtualHost()) + "/" + enc(queue));
        if (managed == null) {
            return new QueueInfo(queue, kindOf(queue), true, ready, consumers, "passive-declare", null, null, null, null);
        }
        JsonNode stats = managed.path("message_stats");
        return new QueueInfo(queue, kindOf(queue), true, ready, consumers, "management",
                managed.path("messages_unacknowledged").asLong(), stats.path("publish_details").path("rate").asDouble(),
                stats.path("deliver_get_details").path("rate").asDouble(), stats.path("ack_details").path("rate").asDouble());
    }

    /** One of warren's queues, there or not. */
    public sealed interface QueueState permits QueueInfo, MissingQueue {
    }

    /**
     * A queue that is there. Ready and consumers from a passive declare; the rest from the
     * management API when one answers (source says which), else null.
     */
    public record QueueInfo(String name, String kind, boolean exists, long ready, long consumers, String source,
                            Long unacked, Double publishRate, Double deliverRate, Double ackRate) implements QueueState {
    }

    public record MissingQueue(String name, String kind, boolean exists) implements QueueState {
    }

    public record Queues(List<QueueState> queues) {
    }

    public record Purged(String queue, long purged) {
    }

    public record Deleted(String queue, boolean deleted) {
    }

    /** A round trip to the broker: reachable, how long, which broker; or why not. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Broker(boolean reachable, Double roundTripMillis, String product, String version, Boolean managementApi,
                         String error) {
    }

    private JsonNode management(String path) {
        if (managementUrl == null) {
            return null;
        }
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl + "/api" + path))
                    .timeout(Duration.ofSeconds(3)).header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? HttpReply.JSON.readTree(response.body()) : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** work, dead or audit: what the queue is for, whatever the names are configured to. */
    private String kindOf(String queue) {
        for (String type : types.names()) {
            if (queue.equals(topology.workQueue(type))) {
                return "work";
            }
            if (queue.equals(names.deadQueue(type))) {
                return "dead";
            }
            if (topology.retryQueues(type).contains(queue)) {
                return "retry";
            }
        }
        return "audit";
    }

    private List<String> ownQueues() {
        List<String> queues = new ArrayList<>();
        for (String type : types.names()) {
            queues.add(topology.workQueue(type));
            queues.add(names.deadQueue(type));
            queues.addAll(topology.retryQueues(type));
        }
        queues.add(names.auditQueue());
        return queues;
    }

    private String ownQueue(Exchange exchange) {
        String queue = exchange.getMessage().getHeader("name", String.class);
        if (queue == null || !ownQueues().contains(queue)) {
            throw new ApiError(404, "unknown_queue", "Not one of warren's queues: " + String.join(", ", ownQueues()));
        }
        return queue;
    }

    private String confirmed(Exchange exchange) {
        String queue = ownQueue(exchange);
        if (!queue.equals(exchange.getMessage().getHeader("confirm", String.class))) {
            throw new ApiError(400, "confirmation_required",
                    "This removes messages for good: repeat the queue name as ?confirm=" + queue);
        }
        return queue;
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
