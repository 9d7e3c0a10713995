package io.warren;

import io.warren.broker.ConfirmedPublisher;
import io.warren.broker.JobTopology;
import io.warren.intake.BatchIntake;
import io.warren.intake.JobAccepted;
import io.warren.intake.JobIntake;
import io.warren.intake.JobSchemas;
import io.warren.intake.PublishAccepted;
import io.warren.observe.JobMetrics;
import io.warren.publish.JobPublisher;
import io.warren.publish.OutboxRelay;
import io.warren.store.FirstRuns;
import io.warren.store.JobTransitions;
import io.warren.store.NewJobs;
import io.warren.store.Outbox;
import io.warren.types.JobTypes;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The way in: validation, storage, the confirmed publish and the outbox relay. */
@Configuration
public class IntakeConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeConfiguration.class);

    @PropertyInject("warren.outbox.enabled")
    private boolean outbox;

    @BindToRegistry(lazy = true)
    public JobTypes jobTypes() {
        return new JobTypes();
    }

    @BindToRegistry(lazy = true)
    public JobSchemas jobSchemas(@PropertyInject("warren.routes.dir") String folder) {
        JobSchemas schemas = new JobSchemas();
        schemas.setFolder(folder);
        return schemas;
    }

    @BindToRegistry(lazy = true)
    public JobIntake jobIntake(JobTypes types, NewJobs newJobs, JobSchemas schemas,
                               @PropertyInject(value = "warren.producer", defaultValue = "") String producer) {
        JobIntake intake = new JobIntake();
        intake.setJobTypes(types);
        intake.setNewJobs(newJobs);
        intake.setSchemas(schemas);
        intake.setProducer(producer);
        return intake;
    }

    @BindToRegistry(lazy = true)
    public JobPublisher jobPublisher(ConfirmedPublisher broker, NewJobs newJobs, JobTransitions transitions, FirstRuns firstRuns,
                                     JobMetrics metrics,
                                     JobTopology topology,
                                     @PropertyInject("warren.rabbitmq.confirm-timeout-millis") long confirmTimeoutMillis,
                                     @PropertyInject("warren.rabbitmq.max-in-flight") int maxInFlight,
                                     @PropertyInject(value = "warren.intake.answer-after", defaultValue = "") String answerAfter) {
        JobPublisher publisher = new JobPublisher();
        publisher.setBroker(broker);
        publisher.setTopology(topology);
        publisher.setConfirmTimeoutMillis(confirmTimeoutMillis);
        publisher.setNewJobs(newJobs);
        publisher.setTransitions(transitions);
        publisher.setFirstRuns(firstRuns);
        publisher.setMetrics(metrics);
        publisher.setOutbox(outbox);
        if (answerAfterCommit(answerAfter)) {
            publisher.answerAfterCommit(maxInFlight, confirmTimeoutMillis);
        }
        return publisher;
    }

    /**
     * A wrong answer-after stops start-up here, named (a lazy bean's failure surfaced as a missing
     * endpoint). At stop, the publishes still queued go before the broker's connection and the store close.
     */
    @Override
    public void configure(CamelContext context) {
        boolean commit = answerAfterCommit(context.resolvePropertyPlaceholders("{{warren.intake.answer-after:}}"));
        LOG.info("A new job is answered 202 once {} (warren.intake.answer-after)",
                commit ? "it is stored, its commit on disk, then published" : "it is stored and the broker confirmed its publish");
        Beans.closeAtStop(context, Beans.get(context, JobPublisher.class));
    }

    /** warren.intake.answer-after: commit, which needs the outbox, or confirm; unset: commit with the outbox, confirm without. */
    private boolean answerAfterCommit(String answerAfter) {
        return switch (answerAfter.strip()) {
            case "" -> outbox;
            case "confirm" -> false;
            case "commit" -> {
                if (!outbox) {
                    throw new IllegalArgumentException("warren.intake.answer-after=commit needs warren.outbox.enabled=true: "
                            + "the outbox relay publishes what the broker did not confirm after the answer");
                }
                yield true;
            }
            default -> throw new IllegalArgumentException("warren.intake.answer-after is commit or confirm (or unset), not '" + answerAfter + "'");
        };
    }

    @BindToRegistry(lazy = true)
    public PublishAccepted publishAccepted(JobPublisher publisher) {
        return new PublishAccepted(publisher);
    }

    @BindToRegistry(lazy = true)
    public JobAccepted jobAccepted() {
        return new JobAccepted();
    }

    @BindToRegistry(lazy = true)
    public BatchIntake batchIntake(JobIntake intake, NewJobs newJobs, JobPublisher publisher) {
        BatchIntake batch = new BatchIntake();
        batch.setIntake(intake);
        batch.setNewJobs(newJobs);
        batch.setPublisher(publisher);
        batch.setOutbox(outbox);
        return batch;
    }

    @BindToRegistry(lazy = true)
    public OutboxRelay outboxRelay(Outbox outbox, @PropertyInject("warren.outbox.batch-size") int batchSize) {
        OutboxRelay relay = new OutboxRelay();
        relay.setOutbox(outbox);
        relay.setBatchSize(batchSize);
        return relay;
    }
}
