package io.warren.component;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.Channel;
import io.warren.worker.JobWorker.Ack;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pure logic: which acks, nacks and rejects a channel is sent, and when (a channel that records them). */
class ChannelAcksTest {

    private final List<String> sent = new ArrayList<>();
    private final Channel channel = (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(), new Class<?>[] {Channel.class},
            (proxy, method, args) -> {
                sent.add(method.getName() + " " + List.of(args));
                return null;
            });
    private final List<Runnable> flushes = new ArrayList<>();
    private boolean stopping;
    private final ChannelAcks acks = new ChannelAcks(channel, flushes::add, () -> stopping);

    @Test
    void theJobsSettledTogetherShareOneAck() {
        deliver(1, 2, 3);
        acks.settle(1, "j1", Ack.ACK);
        acks.settle(2, "j2", Ack.ACK);
        acks.settle(3, "j3", Ack.ACK);
        flushAll();
        assertEquals(List.of("basicAck [3, true]"), sent);
    }

    @Test
    void anAckWaitsForTheJobsDeliveredBeforeIt() {
        deliver(1, 2, 3);
        acks.settle(2, "j2", Ack.ACK);
        acks.settle(3, "j3", Ack.ACK);
        flushAll();
        assertEquals(List.of(), sent, "job 1 still runs: an ack of 3 (multiple) would cover it");
        acks.settle(1, "j1", Ack.ACK);
        flushAll();
        assertEquals(List.of("basicAck [3, true]"), sent);
    }

    @Test
    void aRequeueOrRejectGoesAtOnceAndAlone() {
        deliver(1, 2, 3);
        acks.settle(2, "j2", Ack.REQUEUE);
        acks.settle(3, "j3", Ack.ACK);
        assertEquals(List.of("basicNack [2, false, true]"), sent);
        acks.settle(1, "j1", Ack.REJECT);
        flushAll();
        assertEquals(List.of("basicNack [2, false, true]", "basicReject [1, false]", "basicAck [3, false]"), sent);
    }

    @Test
    void aLoneJobIsAckedAlone() {
        deliver(7);
        acks.settle(7, "j7", Ack.ACK);
        flushAll();
        assertEquals(List.of("basicAck [7, false]"), sent);
    }

    @Test
    void whileTheConsumerStopsAcksGoOutOnTheSettlingThread() {
        deliver(1, 2);
        acks.settle(1, "j1", Ack.ACK);
        stopping = true;
        acks.settle(2, "j2", Ack.ACK);
        assertEquals(List.of("basicAck [2, true]"), sent, "sent before settle returned, not left to the flusher");
    }

    private void deliver(long... tags) {
        for (long tag : tags) {
            acks.delivered(tag, "j" + tag);
        }
    }

    private void flushAll() {
        List<Runnable> queued = new ArrayList<>(flushes);
        flushes.clear();
        queued.forEach(Runnable::run);
    }
}
