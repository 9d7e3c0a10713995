package io.warren.publish;

import io.warren.api.JobHeaders;
import io.warren.api.JobProperties;
import io.warren.observe.JobMetrics;
import io.warren.observe.OutageLog;
import io.warren.store.JobRecord;
import io.warren.store.JobTransitions;
import io.warren.store.NewJobs;
import io.warren.store.StoreUnavailable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The one way a job reaches the broker, for the intake, the batch endpoint, the outbox relay and
 * the dead-letter replay: the message is built from the stored job (its payload, warren's headers
 * and nothing else), published persistent to the jobs exchange with the type as routing key, all
 * of a call's jobs on one channel and then one wait for the broker's confirms; confirmed jobs are
 * recorded QUEUED. A job the broker did not confirm stays stored (ACCEPTED) for the outbox relay.
 */
public class JobPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(JobPublisher.class);

    private RabbitTemplate template;
    private String exchangeName;
    private long confirmTimeoutMillis = 5_000;
    private NewJobs newJobs;
    private JobTransitions transitions;
    private JobMetrics metrics;
    private boolean outbox = true;
    private final OutageLog outage = new OutageLog();

    public void setTemplate(RabbitTemplate template) {
        this.template = template;
    }

    public void setExchange(String exchangeName) {
        this.exchangeName = exchangeName;
    }

    public void setConfirmTimeoutMillis(long confirmTimeoutMillis) {
        this.confirmTimeoutMillis = confirmTimeoutMillis;
    }

    public void setNewJobs(NewJobs newJobs) {
        this.newJobs = newJobs;
    }

    public void setTransitions(JobTransitions transitions) {
        this.transitions = transitions;
    }

    public void setMetrics(JobMetrics metrics) {
        this.metrics = metrics;
    }

    public void setOutbox(boolean outbox) {
        this.outbox = outbox;
    }

    /**
     * The intake's step, for the job in exchange property {@link JobProperties#RECORD}. Not
     * confirmed: with the outbox it stays stored and the relay publishes it (the request still gets
     * its 202); without, it is taken back and the request fails (503).
     */
    public void publishAccepted(Exchange exchange) throws Exception {
        JobRecord job = exchange.getProperty(JobProperties.RECORD, JobRecord.class);
        Exception failure;
        try {
            if (publish(List.of(job), false)) {
                return;
            }
            failure = new TimeoutException("The broker did not confirm job " + job.id() + " within " + confirmTimeoutMillis + " ms");
        } catch (AmqpException e) {
            failure = e;
        }
        if (outage.refused()) {
            LOG.warn("Broker did not take job {} ({}); {}. Further jobs are counted until the broker takes one again",
                    job.id(), failure.getMessage(), outbox ? "it is stored and the outbox relay will publish it" : "answered 503");
        }
        if (!outbox) {
            newJobs.delete(job.id());
            throw failure;
        }
    }

    /** The outbox relay's step: its leased jobs, published again; fails unless the broker confirmed them all. */
    public void relay(List<JobRecord> jobs) throws TimeoutException {
        // the first copy may be in a queue or running: the worker's claim tells them apart by the header
        requireConfirmed(jobs, true);
        jobs.forEach(job -> LOG.info("Outbox relay published job {}", job.id()));
    }

    /** The replay's step: a dead job put back; fails unless confirmed (the relay publishes it after its lease). */
    public void replay(JobRecord job) throws TimeoutException {
        requireConfirmed(List.of(job), false);
    }

    /**
     * Publishes the jobs and waits once for all their confirms; true when the broker confirmed
     * every one. Throws AmqpException when the broker cannot be reached.
     */
    public boolean publish(List<JobRecord> jobs, boolean republished) {
        long started = System.nanoTime();
        Boolean confirmed = template.invoke(t -> {
            for (JobRecord job : jobs) {
                t.send(exchangeName, job.type(), message(job, republished));
            }
            return t.waitForConfirms(confirmTimeoutMillis);
        });
        if (!Boolean.TRUE.equals(confirmed)) {
            return false;
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - started);
        jobs.forEach(job -> metrics.published(job.type(), latency));
        long refused = outage.recovered();
        if (refused > 0) {
            LOG.warn("The broker takes jobs again; it had not taken {} job(s) since the outage began{}", refused,
                    outbox ? " (the outbox relay publishes them)" : " (each answered 503)");
        }
        try {
            transitions.publishedAll(jobs.stream().map(JobRecord::id).toList());
        } catch (StoreUnavailable e) {
            // they are in the broker whatever the database says now: the worker's claim moves them on
            LOG.warn("{} job(s) are in the broker but their status could not be updated: {}", jobs.size(), e.getMessage());
        }
        return true;
    }

    private void requireConfirmed(List<JobRecord> jobs, boolean republished) throws TimeoutException {
        if (!jobs.isEmpty() && !publish(jobs, republished)) {
            throw new TimeoutException("The broker did not confirm " + jobs.size() + " job(s) within " + confirmTimeoutMillis + " ms");
        }
    }

    /** The AMQP message of a stored job: the payload as body, warren's headers only, persistent. */
    static Message message(JobRecord job, boolean republished) {
        Message message = MessageBuilder.withBody(job.payload().getBytes(StandardCharsets.UTF_8))
                .setMessageId(job.id())
                .setTimestamp(Date.from(job.acceptedAt()))
                .setContentType("application/json")
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setCorrelationId(job.correlationId())
                .setHeader(JobHeaders.TYPE, job.type())
                .setHeader(JobHeaders.PRODUCER, job.producer())
                .setHeader(JobHeaders.HOST, job.host())
                .setHeader(JobHeaders.CORRELATION_ID, job.correlationId())
                .setHeader(JobHeaders.ACCEPTED_AT, job.acceptedAt().toString())
                .build();
        if (republished) {
            message.getMessageProperties().setHeader(JobHeaders.REPUBLISHED, "true");
        }
        return message;
    }
}
