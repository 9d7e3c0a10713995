package io.warren.component;

import com.rabbitmq.client.Channel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.springframework.amqp.rabbit.connection.ChannelProxy;

/** A consumer's batched acks: one {@link ChannelAcks} per channel, and the thread that sends them. */
final class ConsumerAcks {

    private final Map<Channel, ChannelAcks> byChannel = new ConcurrentHashMap<>();
    private final ExecutorService flusher;
    private final BooleanSupplier stopping;

    ConsumerAcks(String name, BooleanSupplier stopping) {
        this.stopping = stopping;
        this.flusher = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "warren-acks-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The acks of the channel a message came on, never of Spring's proxy: once that channel died
     * with its connection (a broker node lost), the proxy would open a new one and send the old
     * delivery tag there, where it names another message or none (the broker then closes the
     * channel: PRECONDITION_FAILED unknown delivery tag).
     */
    ChannelAcks of(Channel channel) {
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

    /** What is queued still goes out; later acks are sent unbatched. */
    void close() {
        flusher.shutdown();
    }
}
