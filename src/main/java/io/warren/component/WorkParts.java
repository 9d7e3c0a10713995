package io.warren.component;

import io.warren.broker.JobTopology;
import io.warren.observe.JobMetrics;
import io.warren.types.JobTypes;
import io.warren.types.TypePauses;
import io.warren.worker.DeadLetterReason;
import io.warren.worker.JobSteps;
import io.warren.worker.QueueWatch;
import io.warren.worker.Republisher;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * What every warren:work endpoint shares, and the defaults of its options (warren.worker.* settings,
 * warren.queue.type and warren.queue.version; the version only for classic queues).
 * {@code embedded}: the embedded development broker, which has no queue options and no TTL
 * dead-lettering, so its retries wait in place.
 */
public record WorkParts(ConnectionFactory connections, JobTopology topology, JobTypes types, TypePauses pauses,
                        JobMetrics metrics, QueueWatch watch, JobSteps steps, DeadLetterReason reasons, Republisher republisher,
                        boolean embedded, long drainMillis, Defaults defaults) {

    public record Defaults(int prefetch, int concurrency, int retries, long initialDelayMillis, double multiplier,
                           long maxDelayMillis, String queueType, Integer queueVersion) {
    }
}
