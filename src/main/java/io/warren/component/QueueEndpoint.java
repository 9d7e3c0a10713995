package io.warren.component;

import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code from: warren:queue:<queue>?prefetch=&concurrency=}: any queue, one exchange per message,
 * no job bookkeeping (the audit route's). A message is acked once the route has finished with it,
 * in batches ({@link ChannelAcks}); one the route failed on (an exception it did not handle) goes
 * back to the queue. The queue must exist: this endpoint declares nothing.
 */
public class QueueEndpoint extends DefaultEndpoint {

    private final String queue;
    private final WorkParts parts;
    private int prefetch = 100;
    private int concurrency = 1;

    QueueEndpoint(String uri, Component component, String queue, WorkParts parts) {
        super(uri, component);
        this.queue = queue;
        this.parts = parts;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (prefetch < 1 || concurrency < 1) {
            throw new IllegalArgumentException(getEndpointUri() + ": prefetch and concurrency must be 1 or more");
        }
        QueueConsumer consumer = new QueueConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("warren:queue:" + queue + " is where a route starts (from:); "
                + "to publish use spring-rabbitmq, to submit a job warren:submit");
    }

    String queue() {
        return queue;
    }

    WorkParts parts() {
        return parts;
    }

    int prefetch() {
        return prefetch;
    }

    int concurrency() {
        return concurrency;
    }

    /** Messages the broker sends each consumer ahead of their acks (100). */
    public void setPrefetch(int prefetch) {
        this.prefetch = prefetch;
    }

    /** Consumers of the queue (1: messages are handled in queue order). */
    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }
}
