package io.warren.component;

import com.rabbitmq.client.Channel;
import io.warren.worker.JobWorker;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * (an asynchronous step, such as warren:append, carries it on on a thread of its own while the
 * consumer takes the next message) and is settled when the route completes, acked in batches with the messages before it on its
 * channel ({@link ChannelAcks}: with Spring's own batched acks, its monitor thread and the consumer
 * once sent the same multiple ack, and the broker closed the channel). The headers are those
 * spring-rabbitmq gives a route (message id, routing key, exchange, content type) and the
 * message's own. A message the route failed on goes back to its queue after a second's pause.
 */
class QueueConsumer extends DefaultConsumer implements ChannelAwareMessageListener {

    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);

    private final QueueEndpoint endpoint;
    private AckedListener listening;
    /** Messages the route has not finished with: each settles its future once its ack or requeue is queued. */
    private final Set<CompletableFuture<Void>> inHand = ConcurrentHashMap.newKeySet();

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

    /** The messages in hand (some may be in an asynchronous step) are settled first, for up to the drain time. */
    @Override
    protected void doStop() throws Exception {
        if (listening != null) {
            try {
                CompletableFuture.allOf(inHand.toArray(CompletableFuture[]::new))
                        .get(endpoint.parts().drainMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("Route {} stops with {} message(s) of {} still in hand; the broker delivers them again", getRouteId(),
                        inHand.size(), endpoint.queue());
            }
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
        CompletableFuture<Void> settled = new CompletableFuture<>();
        inHand.add(settled);
        try {
            Exchange exchange = exchange(message, properties, tag, id);
            getAsyncProcessor().process(exchange, onThisThread -> settle(exchange, channelAcks, tag, id, onThisThread, settled));
        } catch (Throwable e) {
            LOG.error("Message {} from {} failed in route {}; it goes back to the queue", id, endpoint.queue(), getRouteId(), e);
            if (!settled.isDone()) {
                pause();
                requeue(channelAcks, tag, id, settled); // also after an Error: its tag must not hold back the acks after it
            }
        }
        if (isStoppingOrStopped()) {
            settled.join(); // its ack goes out before the container closes the channel
        }
    }

    private Exchange exchange(org.springframework.amqp.core.Message message, MessageProperties properties, long tag, String id) {
        Exchange exchange = createExchange(false);
        Message in = exchange.getMessage();
        in.setBody(message.getBody());
        properties.getHeaders().forEach(in::setHeader);
        in.setHeader(SpringRabbitMQConstants.MESSAGE_ID, id);
        in.setHeader(SpringRabbitMQConstants.ROUTING_KEY, properties.getReceivedRoutingKey());
        in.setHeader(SpringRabbitMQConstants.EXCHANGE_NAME, properties.getReceivedExchange());
        in.setHeader(SpringRabbitMQConstants.CONTENT_TYPE, properties.getContentType());
        in.setHeader(SpringRabbitMQConstants.DELIVERY_TAG, tag);
        return exchange;
    }

    /**
     * The route is done with the message: acked, or back to its queue after a second's pause (it
     * comes straight back: once a second, not in a loop). The pause holds the consumer's thread
     * when the route ended on it, and no thread when it ended on another (an asynchronous step's).
     */
    private void settle(Exchange exchange, ChannelAcks channelAcks, long tag, String id, boolean onThisThread,
                        CompletableFuture<Void> settled) {
        Exception failure = exchange.getException();
        releaseExchange(exchange, false);
        if (failure == null) {
            channelAcks.settle(tag, id, JobWorker.Ack.ACK);
            inHand.remove(settled);
            settled.complete(null);
            return;
        }
        LOG.error("Message {} from {} failed in route {}; it goes back to the queue", id, endpoint.queue(), getRouteId(), failure);
        if (onThisThread || isStoppingOrStopped()) {
            pause();
            requeue(channelAcks, tag, id, settled);
        } else {
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> requeue(channelAcks, tag, id, settled));
        }
    }

    private void requeue(ChannelAcks channelAcks, long tag, String id, CompletableFuture<Void> settled) {
        channelAcks.settle(tag, id, JobWorker.Ack.REQUEUE);
        inHand.remove(settled);
        settled.complete(null);
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
