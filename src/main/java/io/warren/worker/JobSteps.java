package io.warren.worker;

import io.warren.api.Job;
import io.warren.api.JobHeaders;
import io.warren.api.JobProperties;
import io.warren.observe.JobMetrics;
import io.warren.store.JobTransitions;
import io.warren.store.StoreUnavailable;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job store's part in a worker route: claim the job before the handler (a job that already
 * finished is not run again), record each failed attempt and each retry, record success, record
 * the dead letter. Called from routes/job-worker.yaml and routes/dead-lettering.yaml.
 */
public class JobSteps {

    private static final Logger LOG = LoggerFactory.getLogger(JobSteps.class);

    /** Exchange property: when the current attempt was claimed, for the processing time. */

    private final JobTransitions transitions;
    private final JobMetrics metrics;

    public JobSteps(JobTransitions transitions, JobMetrics metrics) {
        this.transitions = transitions;
        this.metrics = metrics;
    }

    /** Before the handler's first attempt of this delivery. */
    public void claim(Exchange exchange) {
        exchange.setProperty(JobProperties.STARTED_NANOS, System.nanoTime());
        String id = jobId(exchange);
        if (id == null) {
            return; // published by another client without a message id: nothing to record
        }
        // a copy the relay published again, delivered for the first time, must not take over a
        // RUNNING job (its first copy is under way); any other delivery may (its worker died)
        Message message = exchange.getMessage();
        boolean secondCopy = "true".equals(String.valueOf(message.getHeader(JobHeaders.REPUBLISHED)))
                && !message.getHeader(SpringRabbitMQConstants.REDELIVERED, false, Boolean.class);
        if (transitions.startAttempt(id, attemptOf(exchange), !secondCopy) == JobTransitions.Claim.DUPLICATE) {
            LOG.info("Job {} was delivered again after it finished or while another copy runs; acknowledged without running it", id);
            metrics.duplicateSuppressed(typeOf(exchange));
            exchange.setRouteStop(true);
        }
    }

    /** Right after any failure of an attempt, before its back-off (Camel's onExceptionOccurred). */
    public void attemptFailed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof StoreUnavailable) {
            return;
        }
        metrics.attemptFailed(typeOf(exchange));
        String id = jobId(exchange);
        if (id == null) {
            return;
        }
        bestEffort(id, () -> transitions.attemptFailed(id, attemptOf(exchange), failure.getClass().getName(),
                String.valueOf(failure.getMessage())));
    }

    /** Just before a redelivery (Camel's onRedelivery). */
    public void retrying(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof StoreUnavailable) {
            return;
        }
        exchange.setProperty(JobProperties.STARTED_NANOS, System.nanoTime());
        metrics.retried(typeOf(exchange));
        String id = jobId(exchange);
        if (id != null) {
            // the same delivery, again: it may take over its own RUNNING record
            bestEffort(id, () -> transitions.startAttempt(id, attemptOf(exchange) + 1, true));
        }
    }

    /** After the handler returned. */
    public void succeeded(Exchange exchange) {
        String id = jobId(exchange);
        if (id != null) {
            Job job = exchange.getProperty(JobProperties.JOB, Job.class);
            transitions.succeeded(id, attemptOf(exchange), job == null ? null : job.result());
        }
        Long started = exchange.getProperty(JobProperties.STARTED_NANOS, Long.class);
        metrics.succeeded(typeOf(exchange), started == null ? null : Duration.ofNanos(System.nanoTime() - started));
    }

    /** After the dead letter was published and confirmed. */
    public void dead(Exchange exchange) {
        metrics.deadLettered(typeOf(exchange));
        String id = jobId(exchange);
        if (id == null) {
            return;
        }
        Message message = exchange.getMessage();
        bestEffort(id, () -> transitions.dead(id, attemptOf(exchange),
                message.getHeader(JobHeaders.ERROR_CLASS, String.class),
                message.getHeader(JobHeaders.ERROR_MESSAGE, String.class),
                message.getHeader(JobHeaders.ERROR_STACK, String.class)));
    }

    /**
     * The broker did not take the dead letter: the job is recorded DEAD with its reason anyway, and
     * the failure goes on, so the container rejects the delivery and the work queue's
     * x-dead-letter-exchange moves it to the dead-letter queue.
     */
    public void deadLetterRefused(Exchange exchange) throws Exception {
        Exception refused = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("The dead letter of job {} was not taken by the broker ({}); it is rejected to the work queue's "
                + "dead-letter exchange instead", jobId(exchange), refused == null ? "?" : refused.getMessage());
        dead(exchange);
        throw refused != null ? refused : new IllegalStateException("dead letter not taken");
    }

    private static String typeOf(Exchange exchange) {
        return exchange.getMessage().getHeader(SpringRabbitMQConstants.ROUTING_KEY, String.class);
    }

    static String jobId(Exchange exchange) {
        return exchange.getMessage().getHeader(SpringRabbitMQConstants.MESSAGE_ID, String.class);
    }

    /**
     * The attempt the handler made last: JobExecution records it, as Camel's redelivery counter has
     * already moved on when the error handler's hooks run. Before the first attempt: 1.
     */
    private static int attemptOf(Exchange exchange) {
        return exchange.getProperty(JobProperties.ATTEMPT, 1, Integer.class);
    }

    /** Status bookkeeping between attempts must not turn a retry into a different failure. */
    private static void bestEffort(String id, Runnable update) {
        try {
            update.run();
        } catch (StoreUnavailable e) {
            LOG.warn("Could not record the attempt of job {}: {}", id, e.getMessage());
        }
    }
}
