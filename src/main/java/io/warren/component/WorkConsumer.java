package io.warren.component;

import com.rabbitmq.client.Channel;
import io.warren.api.Job;
import io.warren.api.JobProperties;
import io.warren.api.RouteHeaders;
import io.warren.broker.JobTopology;
import io.warren.broker.QueueOptions;
import io.warren.worker.Delivery;
import io.warren.worker.JobWorker;
import io.warren.worker.RetrySchedule;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * Consumes a job type's work queue: at start declares its queues with the route's options and
 * makes the type known to the intake; each delivery goes through {@link JobWorker}, whose attempts
 * run the route. Acks are manual: a job is acked only once it is done, dead-lettered or waiting in
 * a retry queue, in batches ({@link ChannelAcks}). Stopping the route (pause, drain) lets running jobs finish first; removing it makes
 * the intake forget the type.
 */
class WorkConsumer extends DefaultConsumer implements ChannelAwareMessageListener {

    private static final Logger LOG = LoggerFactory.getLogger(WorkConsumer.class);

    private final WorkEndpoint endpoint;
    private final WorkParts parts;
    private final RetrySchedule schedule;
    private final QueueOptions options;
    private JobWorker worker;
    private AckedListener listening;

    WorkConsumer(WorkEndpoint endpoint, Processor processor, RetrySchedule schedule, QueueOptions options) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.parts = endpoint.parts();
        this.schedule = schedule;
        this.options = options;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        String type = endpoint.type();
        String owner = parts.types().routeOf(type);
        if (owner != null && !owner.equals(getRouteId())) {
            // named as Camel names a route that did not start, so that a route file's error gives its line
            throw new FailedToStartRouteException(getRouteId(), "job type '" + type + "' is already live in route " + owner
                    + "; route " + getRouteId() + " may not claim it too");
        }
        JobTopology topology = parts.topology();
        // a work queue that is not there (new type, or lost by the broker) gets its QUEUED jobs back
        topology.plan(type, endpoint.queue(), endpoint.exchange(), options, endpoint.retryQueues() ? schedule.tiers() : List.of());
        parts.watch().ensure(type, false);
        topology.declareType(type);
        parts.types().register(type, getRouteId());
        parts.metrics().queueDepth(topology.workQueue(type));
        parts.metrics().queueDepth(topology.names().deadQueue(type));
        topology.retryQueues(type).forEach(parts.metrics()::queueDepth);
        worker = new JobWorker(type, getRouteId(), schedule, endpoint.retryQueues(), topology, parts.steps(),
                parts.reasons(), parts.republisher(), this::isStoppingOrStopped);
        if (parts.pauses().isPaused(type)) {
            LOG.info("Job type '{}' is live but paused on this instance: its jobs wait in {} until POST /api/v1/types/{}/resume",
                    type, topology.workQueue(type), type);
            return;
        }

        listening = new AckedListener(parts.connections(), topology.workQueue(type), endpoint.concurrency(), endpoint.prefetch(),
                parts.drainMillis(), this::isStoppingOrStopped, this);
        listening.start();
        LOG.info("Job type '{}' is live: route {} consumes {} ({} consumers, prefetch {}, retries {} {})", type, getRouteId(),
                topology.workQueue(type), endpoint.concurrency(), endpoint.prefetch(), schedule.retries(),
                endpoint.retryQueues() ? "through retry queues " + topology.retryQueues(type) : "in place");
    }

    @Override
    protected void doStop() throws Exception {
        if (listening != null) {
            listening.stop();
            listening = null;
        }
        super.doStop();
    }

    /** The route was removed: the intake forgets the type (its file unbinds the queue, see JobTypeFolder). */
    @Override
    protected void doShutdown() throws Exception {
        String type = endpoint.type();
        if (getRouteId() != null && getRouteId().equals(parts.types().routeOf(type))) {
            parts.types().unregister(type);
            LOG.info("Job type '{}' removed with route {}", type, getRouteId());
        }
        super.doShutdown();
    }

    @Override
    public void onMessage(org.springframework.amqp.core.Message message, Channel channel) {
        long tag = message.getMessageProperties().getDeliveryTag();
        String id = message.getMessageProperties().getMessageId();
        ChannelAcks channelAcks = listening.acksOf(channel);
        channelAcks.delivered(tag, id);
        CompletableFuture<JobWorker.Ack> ack = null;
        try {
            ack = worker.handle(message, this::attempt);
        } catch (RuntimeException e) {
            LOG.error("Delivery of job {} could not be handled; it goes back to its queue", id, e);
            ack = CompletableFuture.completedFuture(JobWorker.Ack.REQUEUE);
        } finally {
            if (ack == null) {
                channelAcks.settle(tag, id, JobWorker.Ack.REQUEUE); // an Error: its tag must not hold back the acks after it
            }
        }
        // a success is acked from the commit that recorded it (see JobWorker), with the jobs before it
        ack.whenComplete((how, failure) -> channelAcks.settle(tag, id, failure == null ? how : JobWorker.Ack.REQUEUE));
    }

    /** One run of the route on a fresh exchange: the consumed body and headers, and the job. */
    private JobWorker.Outcome attempt(Job job, Delivery delivery) {
        Exchange exchange = createExchange(false);
        try {
            Message in = exchange.getMessage();
            in.setBody(delivery.message().getBody());
            delivery.message().getMessageProperties().getHeaders().forEach(in::setHeader);
            in.setHeader(Exchange.CONTENT_TYPE, "application/json");
            in.setHeader(RouteHeaders.JOB_ID, job.id());
            in.setHeader(RouteHeaders.JOB_TYPE, job.type());
            in.setHeader(RouteHeaders.ATTEMPT, job.attempt());
            in.setHeader(RouteHeaders.CORRELATION_ID, job.correlationId());
            exchange.setProperty(JobProperties.JOB, job);
            getProcessor().process(exchange);
            String result = job.result() != null ? job.result() : exchange.getMessage().getHeader(RouteHeaders.RESULT, String.class);
            return new JobWorker.Outcome(exchange.getException(), result);
        } catch (Exception e) {
            return new JobWorker.Outcome(e, null);
        } finally {
            releaseExchange(exchange, false);
        }
    }
}
