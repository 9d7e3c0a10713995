package io.warren.component;

import com.rabbitmq.client.Channel;
import io.warren.worker.JobWorker;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private final Set<InHand> inHand = ConcurrentHashMap.newKeySet();
    /** After a route failed on another thread: the consumer takes no message before then (System.nanoTime). */
    private volatile long backOffUntil = System.nanoTime();

    /** A message the route has, and how it ends: settled once, by whichever thread finishes it. */
    private static final class InHand {
        final long tag;
        final String id;
        final ChannelAcks acks;
        final CompletableFuture<Void> settled = new CompletableFuture<>();
        final AtomicBoolean finished = new AtomicBoolean();

        InHand(long tag, String id, ChannelAcks acks) {
            this.tag = tag;
            this.id = id;
            this.acks = acks;
        }
    }

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
                CompletableFuture.allOf(inHand.stream().map(held -> held.settled).toArray(CompletableFuture[]::new))
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
        waitOutBackOff();
        InHand held = new InHand(properties.getDeliveryTag(), properties.getMessageId(), listening.acksOf(channel));
        held.acks.delivered(held.tag, held.id);
        inHand.add(held);
        try {
            Exchange exchange = exchange(message, properties, held.tag, held.id);
            getAsyncProcessor().process(exchange, onThisThread -> settle(exchange, held, onThisThread));
        } catch (Throwable e) {
            LOG.error("Message {} from {} failed in route {}; it goes back to the queue", held.id, endpoint.queue(), getRouteId(), e);
            if (!held.settled.isDone()) {
                pause();
                finish(held, JobWorker.Ack.REQUEUE); // also after an Error: its tag must not hold back the acks after it
            }
        }
        if (isStoppingOrStopped()) {
            held.settled.join(); // its ack goes out before the container closes the channel
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
     * when the route ended on it; when it ended on another (an asynchronous step's), that thread
     * goes on, the requeue follows a second later, and the consumer waits out that second before
     * its next message.
     */
    private void settle(Exchange exchange, InHand held, boolean onThisThread) {
        Exception failure = exchange.getException();
        releaseExchange(exchange, false);
        if (failure == null) {
            finish(held, JobWorker.Ack.ACK);
            return;
        }
        LOG.error("Message {} from {} failed in route {}; it goes back to the queue", held.id, endpoint.queue(), getRouteId(), failure);
        if (onThisThread || isStoppingOrStopped()) {
            pause();
            finish(held, JobWorker.Ack.REQUEUE);
        } else {
            backOffUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> finish(held, JobWorker.Ack.REQUEUE));
        }
    }

    /** Acks or requeues the message, once, whatever calls it; its future completes in any case. */
    private void finish(InHand held, JobWorker.Ack how) {
        if (!held.finished.compareAndSet(false, true)) {
            return;
        }
        try {
            held.acks.settle(held.tag, held.id, how);
        } finally {
            inHand.remove(held);
            held.settled.complete(null);
        }
    }

    private void waitOutBackOff() {
        try {
            while (System.nanoTime() - backOffUntil < 0 && !isStoppingOrStopped()) {
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
