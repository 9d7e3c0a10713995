package io.warren.component;

import com.rabbitmq.client.Channel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;

/**
 * A queue's consumers with manual acks, batched: Spring's container delivers, the listener settles
 * each message through the {@link ChannelAcks} of its channel, and one thread sends their acks.
 * What {@code warren:work} and {@code warren:queue} consume with. Stopping it lets the messages in
 * hand finish (for up to the drain time) and their acks go out.
 */
final class AckedListener {

    private final Map<Channel, ChannelAcks> byChannel = new ConcurrentHashMap<>();
    private final ExecutorService flusher;
    private final BooleanSupplier stopping;
    private final DirectMessageListenerContainer container;

    AckedListener(ConnectionFactory connections, String queue, int consumers, int prefetch, long drainMillis,
                  BooleanSupplier stopping, ChannelAwareMessageListener listener) {
        this.stopping = stopping;
        this.flusher = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "warren-acks-" + queue);
            thread.setDaemon(true);
            return thread;
        });
        container = new DirectMessageListenerContainer(connections);
        container.setQueueNames(queue);
        container.setConsumersPerQueue(consumers);
        container.setPrefetchCount(prefetch);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        container.setShutdownTimeout(drainMillis);
        container.setMessageListener(listener);
        container.afterPropertiesSet();
    }

    void start() {
        container.start();
    }

    /**
     * The acks of the channel a message came on, never of Spring's proxy: once that channel died
     * with its connection (a broker node lost), the proxy would open a new one and send the old
     * delivery tag there, where it names another message or none (the broker then closes the
     * channel: PRECONDITION_FAILED unknown delivery tag).
     */
    ChannelAcks acksOf(Channel channel) {
        Channel target = channel instanceof ChannelProxy proxy ? proxy.getTargetChannel() : channel;
        ChannelAcks acks = byChannel.get(target);
        if (acks != null) {
            return acks;
        }
        ChannelAcks created = new ChannelAcks(target, flusher, stopping);
        acks = byChannel.putIfAbsent(target, created);
        if (acks != null) {
            return acks;
        }
        // outside the map's update: on a channel already closed the listener runs at once
        target.addShutdownListener(closed -> byChannel.remove(target, created));
        return created;
    }

    /** Waits for the messages in hand (up to the drain time); the acks queued still go out, later ones unbatched. */
    void stop() {
        container.stop();
        flusher.shutdown();
    }
}
