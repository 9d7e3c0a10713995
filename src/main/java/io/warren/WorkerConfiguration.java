package io.warren;

import io.warren.audit.AuditLine;
import io.warren.broker.BrokerInUse;
import io.warren.broker.ConfirmedPublisher;
import io.warren.broker.JobTopology;
import io.warren.component.HttpParts;
import io.warren.component.SubmitParts;
import io.warren.component.WarrenComponent;
import io.warren.component.WorkParts;
import io.warren.component.WorkRouteLogging;
import io.warren.http.ErrorResponse;
import io.warren.intake.JobIntake;
import io.warren.observe.JobMetrics;
import io.warren.publish.JobPublisher;
import io.warren.security.UserEndpoints;
import io.warren.store.FirstRuns;
import io.warren.store.JobTransitions;
import io.warren.types.JobTypes;
import io.warren.types.TypePauses;
import io.warren.worker.DeadLetterReason;
import io.warren.worker.JobSteps;
import io.warren.worker.QueueWatch;
import io.warren.worker.Republisher;
import java.time.Duration;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.model.Model;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/** The way through: the warren: component that job type routes use, and what the audit route calls. */
@Configuration
public class WorkerConfiguration implements CamelConfiguration {

    @PropertyInject("warren.worker.prefetch")
    private int prefetch;
    @PropertyInject("warren.worker.concurrency")
    private int concurrency;
    @PropertyInject("warren.worker.retries")
    private int retries;
    @PropertyInject("warren.worker.initial-delay-millis")
    private long initialDelayMillis;
    @PropertyInject("warren.worker.multiplier")
    private double multiplier;
    @PropertyInject("warren.worker.max-delay-millis")
    private long maxDelayMillis;
    @PropertyInject("warren.queue.type")
    private String queueType;
    @PropertyInject("warren.worker.drain-timeout-seconds")
    private long drainTimeoutSeconds;
    @PropertyInject("warren.rabbitmq.confirm-timeout-millis")
    private long confirmTimeoutMillis;

    /** warren:work, warren:handle, warren:submit and warren:http (docs/routes.md). */
    @BindToRegistry(value = "warren", lazy = true)
    public WarrenComponent warrenComponent(CachingConnectionFactory connections, JobTopology topology, JobTypes types,
                                           TypePauses pauses,
                                           JobMetrics metrics, QueueWatch watch, JobSteps steps, DeadLetterReason reasons,
                                           ConfirmedPublisher confirmed, BrokerInUse broker, JobIntake intake, JobPublisher publisher,
                                           UserEndpoints endpoints, ErrorResponse errors) {
        WorkParts.Defaults defaults = new WorkParts.Defaults(prefetch, concurrency, retries, initialDelayMillis, multiplier,
                maxDelayMillis, queueType, topology.version());
        WorkParts work = new WorkParts(connections, topology, types, pauses, metrics, watch, steps, reasons,
                new Republisher(confirmed, confirmTimeoutMillis), broker.isEmbedded(), drainTimeoutSeconds * 1000, defaults);
        return new WarrenComponent(work, new SubmitParts(intake, publisher, metrics), new HttpParts(endpoints, errors));
    }

    @BindToRegistry(lazy = true)
    public JobSteps jobSteps(JobTransitions transitions, FirstRuns firstRuns, JobMetrics metrics) {
        return new JobSteps(transitions, firstRuns, metrics);
    }

    @BindToRegistry(lazy = true)
    public QueueWatch queueWatch(JobTopology topology, JobTypes types, JobTransitions transitions, FirstRuns firstRuns,
                                 @PropertyInject("warren.topology.missing-after-seconds") long missingAfterSeconds) {
        return new QueueWatch(topology, types, transitions, firstRuns, Duration.ofSeconds(missingAfterSeconds));
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

    @Override
    public void configure(CamelContext context) {
        context.getCamelContextExtension().getContextPlugin(Model.class).addModelLifecycleStrategy(new WorkRouteLogging());
    }
}
