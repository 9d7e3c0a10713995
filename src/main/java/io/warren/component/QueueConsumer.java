package io.warren.component;

import com.rabbitmq.client.Channel;
import io.warren.worker.JobWorker;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * Consumes a queue for {@link QueueEndpoint}: each message runs the route on the consumer's thread
 * and is settled when the route returns, acked in batches with the messages before it on its
 * channel ({@link ChannelAcks}: with Spring's own batched acks, its monitor thread and the consumer
 * once sent the same multiple ack, and the broker closed the channel). The headers are those
 * spring-rabbitmq gives a route (message id, routing key, exchange, content type) and the
 * message's own. A message the route failed on goes back to its queue after a second's pause.
 */
class QueueConsumer extends DefaultConsumer implements ChannelAwareMessageListener {

    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);

    private final QueueEndpoint endpoint;
    private AckedListener listening;

    QueueConsumer(QueueEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        listening = new AckedListener(endpoint.parts().connections(), endpoint.queue(), endpoint.concurrency(), endpoint.prefetch(),
                endpoint.parts().drainMillis(), this::isStoppingOrStopped, this);
        listening.start();
    }

    @Override
    protected void doStop() throws Exception {
        if (listening != null) {
            listening.stop();
            listening = null;
        }
        super.doStop();
    }

    @Override
    public void onMessage(org.springframework.amqp.core.Message message, Channel channel) {
        MessageProperties properties = message.getMessageProperties();
        long tag = properties.getDeliveryTag();
        String id = properties.getMessageId();
        ChannelAcks channelAcks = listening.acksOf(channel);
        channelAcks.delivered(tag, id);
        JobWorker.Ack how = JobWorker.Ack.REQUEUE;
        Exchange exchange = null;
        try {
            exchange = createExchange(false);
            Message in = exchange.getMessage();
            in.setBody(message.getBody());
            properties.getHeaders().forEach(in::setHeader);
            in.setHeader(SpringRabbitMQConstants.MESSAGE_ID, id);
            in.setHeader(SpringRabbitMQConstants.ROUTING_KEY, properties.getReceivedRoutingKey());
            in.setHeader(SpringRabbitMQConstants.EXCHANGE_NAME, properties.getReceivedExchange());
            in.setHeader(SpringRabbitMQConstants.CONTENT_TYPE, properties.getContentType());
            in.setHeader(SpringRabbitMQConstants.DELIVERY_TAG, tag);
            getProcessor().process(exchange);
            if (exchange.getException() == null) {
                how = JobWorker.Ack.ACK;
            } else {
                LOG.error("Message {} from {} failed in route {}; it goes back to the queue", id, endpoint.queue(), getRouteId(),
                        exchange.getException());
            }
        } catch (Exception e) {
            LOG.error("Message {} from {} failed in route {}; it goes back to the queue", id, endpoint.queue(), getRouteId(), e);
        } finally {
            if (how == JobWorker.Ack.REQUEUE) {
                pause(); // it comes straight back: once a second, not in a loop
            }
            channelAcks.settle(tag, id, how); // also after an Error: its tag must not hold back the acks after it
            if (exchange != null) {
                releaseExchange(exchange, false);
            }
        }
    }

    private void pause() {
        try {
            for (int i = 0; i < 10 && !isStoppingOrStopped(); i++) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
