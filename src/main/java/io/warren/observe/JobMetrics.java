package io.warren.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Every meter warren adds to /observe/metrics, in one place. They live in the registry, not in a
 * route, so they survive route reloads. Per job type: accepted, published, succeeded, attempts
 * failed, retried, dead-lettered, duplicates suppressed; processing time of successful attempts and
 * the broker's publish-confirm latency as histograms; the depth of each of warren's queues.
 */
public class JobMetrics {

    private final MeterRegistry registry;
    private final RabbitAdmin admin;
    /**
     * Each meter per name and type, found once: a builder's register() makes an id (tags sorted,
     * hashed) and looks it up in the registry, several times a job on the hot path.
     */
    private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> confirms = new ConcurrentHashMap<>();
    private final Map<String, Timer> processing = new ConcurrentHashMap<>();

    public JobMetrics(MeterRegistry registry, RabbitAdmin admin) {
        this.registry = registry;
        this.admin = admin;
    }

    /** For the parts that keep their own meters (the store's writer). */
    public MeterRegistry registry() {
        return registry;
    }

    public void accepted(String type) {
        count("warren.jobs.accepted", type);
    }

    /** A route's warren:submit refused (the reason is an API error code, such as invalid_payload). */
    public void submitRejected(String type, String reason) {
        Counter.builder("warren.jobs.submit.rejected").description("jobs a route submitted that warren refused")
                .tag("type", type).tag("reason", reason).register(registry).increment();
    }

    public void published(String type, Duration confirmLatency) {
        count("warren.jobs.published", type);
        if (confirmLatency != null) {
            meter(confirms, String.valueOf(type), t -> Timer.builder("warren.publish.confirm")
                    .description("time from publish to the broker's confirm")
                    .tag("type", t).publishPercentileHistogram().register(registry)).record(confirmLatency);
        }
    }

    public void succeeded(String type, Duration took) {
        count("warren.jobs.succeeded", type);
        if (took != null) {
            meter(processing, String.valueOf(type), t -> Timer.builder("warren.job.processing")
                    .description("time a successful attempt took, handler and bookkeeping")
                    .tag("type", t).publishPercentileHistogram().register(registry)).record(took);
        }
    }

    public void attemptFailed(String type) {
        count("warren.jobs.attempts.failed", type);
    }

    public void retried(String type) {
        count("warren.jobs.retried", type);
    }

    public void deadLettered(String type) {
        count("warren.jobs.dead.lettered", type);
    }

    public void duplicateSuppressed(String type) {
        count("warren.jobs.duplicates.suppressed", type);
    }

    /** Messages in a queue, read from the broker when metrics are scraped. */
    public void queueDepth(String queue) {
        Gauge.builder("warren.queue.messages", () -> depth(queue)).tag("queue", queue).register(registry);
    }

    private double depth(String queue) {
        try {
            Properties properties = admin.getQueueProperties(queue);
            Object count = properties == null ? null : properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT);
            return count instanceof Number number ? number.doubleValue() : Double.NaN;
        } catch (RuntimeException brokerAway) {
            return Double.NaN;
        }
    }

    private void count(String name, String type) {
        Map<String, Counter> byType = meter(counters, name, n -> new ConcurrentHashMap<>());
        meter(byType, String.valueOf(type), t -> Counter.builder(name).tag("type", t).register(registry)).increment();
    }

    private static <M> M meter(Map<String, M> meters, String key, Function<String, M> create) {
        M meter = meters.get(key);
        return meter != null ? meter : meters.computeIfAbsent(key, create);
    }
}
