package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

/**
 * "Acked" proven, not guessed from the Ready count: a passive declare counts only Ready messages, so
 * a delivery held unacked by a consumer looks like an empty queue. Pausing the type's workers closes
 * their channels, which puts any unacked message back to Ready; only then is an empty queue empty.
 */
final class Acked {

    private Acked() {
    }

    /** Every message of the type's work queue was acked: waits for Ready 0, then checks with the workers paused. */
    static void all(TestWarren warren, Amqp amqp, String type) throws Exception {
        String queue = warren.workQueue(type);
        Await.until(queue + " drained", Duration.ofSeconds(20), () -> amqp.depth(queue) == 0);
        assertEquals(200, warren.send("POST", "/api/v1/types/" + type + "/pause", null).statusCode());
        try {
            assertEquals(0, amqp.consumers(queue), "workers paused");
            assertEquals(0, amqp.depth(queue), "a message was held unacked (Ready again once its channel closed)");
        } finally {
            assertEquals(200, warren.send("POST", "/api/v1/types/" + type + "/resume", null).statusCode());
        }
    }
}
