package io.warren.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** A channel in confirm mode and its messages waiting for a confirm, by sequence number. */
final class ConfirmChannel implements ConfirmListener {

    private final Channel channel;
    private final ConcurrentNavigableMap<Long, CompletableFuture<Boolean>> unconfirmed = new ConcurrentSkipListMap<>();

    ConfirmChannel(Channel channel) throws IOException {
        if (channel == null) {
            throw new IOException("no channel available on the broker connection");
        }
        this.channel = channel;
        channel.confirmSelect();
        channel.addConfirmListener(this);
        // gone with its unconfirmed messages: not confirmed (the outbox relay or a retry publishes them)
        channel.addShutdownListener(cause -> settle(Long.MAX_VALUE, true, false));
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    CompletableFuture<Boolean> publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body)
            throws IOException {
        long sequence = channel.getNextPublishSeqNo();
        CompletableFuture<Boolean> confirm = new CompletableFuture<>();
        unconfirmed.put(sequence, confirm);
        try {
            DeferredFlush.publish(() -> channel.basicPublish(exchange, routingKey, false, properties, body));
        } catch (IOException | RuntimeException e) {
            unconfirmed.remove(sequence);
            throw e;
        }
        if (!channel.isOpen()) {
            settle(Long.MAX_VALUE, true, false); // closed meanwhile: its listener may have run before the put
        }
        return confirm;
    }

    @Override
    public void handleAck(long sequence, boolean multiple) {
        settle(sequence, multiple, true);
    }

    @Override
    public void handleNack(long sequence, boolean multiple) {
        settle(sequence, multiple, false);
    }

    private void settle(long sequence, boolean multiple, boolean acked) {
        if (multiple) {
            Map<Long, CompletableFuture<Boolean>> upTo = unconfirmed.headMap(sequence, true);
            upTo.values().forEach(confirm -> confirm.complete(acked));
            upTo.clear();
        } else {
            CompletableFuture<Boolean> confirm = unconfirmed.remove(sequence);
            if (confirm != null) {
                confirm.complete(acked);
            }
        }
    }
}
