package io.warren;

import io.warren.audit.AuditLine;
import io.warren.broker.JobTopology;
import io.warren.observe.JobMetrics;
import io.warren.store.JobTransitions;
import io.warren.types.JobTypes;
import io.warren.worker.DeadLetterReason;
import io.warren.worker.JobSteps;
import io.warren.worker.QueueWatch;
import io.warren.worker.WorkerTopology;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;
import org.apache.camel.Processor;
import org.apache.camel.PropertyInject;

/** The way through: what the worker template, the dead-letter route and the audit route call. */
@Configuration
public class WorkerConfiguration implements CamelConfiguration {

    @BindToRegistry(lazy = true)
    public JobSteps jobSteps(JobTransitions transitions, JobMetrics metrics) {
        return new JobSteps(transitions, metrics);
    }

    /** The worker template's error handler calls these by name (onExceptionOccurredRef, onRedeliveryRef). */
    @BindToRegistry(lazy = true)
    public Processor jobAttemptFailed(JobSteps steps) {
        return steps::attemptFailed;
    }

    @BindToRegistry(lazy = true)
    public Processor jobRetrying(JobSteps steps) {
        return steps::retrying;
    }

    @BindToRegistry(lazy = true)
    public QueueWatch queueWatch(JobTopology topology, JobTypes types, JobTransitions transitions) {
        return new QueueWatch(topology, types, transitions);
    }

    /** Each worker route's policy: declares its queues before it consumes. */
    @BindToRegistry(lazy = true)
    public WorkerTopology workerTopology(JobTopology topology, JobTypes types, JobMetrics metrics, QueueWatch watch) {
        return new WorkerTopology(topology, types, metrics, watch);
    }

    @BindToRegistry(lazy = true)
    public DeadLetterReason deadLetterReason(@PropertyInject("warren.dead-letter.max-stack-chars") int maxStackChars,
                                             @PropertyInject("warren.dead-letter.max-message-chars") int maxMessageChars) {
        DeadLetterReason reason = new DeadLetterReason();
        reason.setMaxStackChars(maxStackChars);
        reason.setMaxMessageChars(maxMessageChars);
        return reason;
    }

    @BindToRegistry(lazy = true)
    public AuditLine auditLine() {
        return new AuditLine();
    }
}
