package io.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.it.Amqp;
import io.warren.it.TestBroker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * A run of publishes ({@link ConfirmedPublisher#together()}) leaves the client when the run
 * closes, not message by message, and a run that must wait for a place to publish sends its own
 * messages first instead of waiting for their confirms. Broker: the test broker (TestBroker).
 */
class DeferredFlushIT {

    private static final String EXCHANGE = "amq.direct";

    private final String queue = "t" + Long.toHexString(System.nanoTime()) + ".flush";
    private CachingConnectionFactory connections;
    private Amqp amqp;

    @BeforeEach
    void connect() throws Exception {
        connections = new CachingConnectionFactory(BrokerAddress.parse(TestBroker.url()).clientFactory());
        amqp = new Amqp(TestBroker.url());
        amqp.tap(queue, EXCHANGE, queue, Map.of());
    }

    @AfterEach
    void disconnect() throws Exception {
        amqp.deleteQueue(queue);
        amqp.close();
        connections.destroy();
    }

    @Test
    void aRunsPublishesReachTheBrokerWhenItCloses() throws Exception {
        ConfirmedPublisher publisher = new ConfirmedPublisher(connections, 1_000);
        // every channel opened first: opening one is a request that is sent at once, run or not
        for (CompletableFuture<Boolean> confirm : publishAll(publisher, 8)) {
            assertTrue(confirm.get());
        }
        List<CompletableFuture<Boolean>> confirms;
        try (DeferredFlush.Run run = publisher.together()) {
            confirms = publishAll(publisher, 10);
            Thread.sleep(300); // time for sent messages to be queued: these are not sent
            // still in the client's buffer: the broker has only the first 8
            assertEquals(8, amqp.depth(queue));
        }
        for (CompletableFuture<Boolean> confirm : confirms) {
            assertTrue(confirm.get(), "confirmed once the run closed");
        }
        assertEquals(18, amqp.depth(queue));
    }

    @Test
    void aRunWaitingForAPlaceSendsItsOwnMessagesFirst() throws Exception {
        // two in flight at most: the third publish needs a confirm for one of the run's own first two
        ConfirmedPublisher publisher = new ConfirmedPublisher(connections, 2);
        List<CompletableFuture<Boolean>> confirms;
        try (DeferredFlush.Run run = publisher.together()) {
            confirms = publishAll(publisher, 6);
        }
        for (CompletableFuture<Boolean> confirm : confirms) {
            assertTrue(confirm.get());
        }
        assertEquals(6, amqp.depth(queue));
    }

    private List<CompletableFuture<Boolean>> publishAll(ConfirmedPublisher publisher, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<CompletableFuture<Boolean>> confirms = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message message = new Message(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8), new MessageProperties());
            confirms.add(publisher.publish(EXCHANGE, queue, message, deadline));
        }
        return confirms;
    }
}
