package io.warren.broker;

import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/** The broker warren talks to: its address, and the embedded broker when warren runs one itself (else null). */
public record BrokerInUse(BrokerAddress address, EmbeddedBroker embedded) {

    public boolean isEmbedded() {
        return embedded != null;
    }

    /**
     * Takes a channel of the shared connection and gives it back: reaching the broker is the whole
     * check. A connection alone is not enough: Spring's caching factory hands out its connection
     * after the broker closed it, until something asks it for a channel, so the readiness check
     * said UP for seconds into an outage. Asking for a channel opens a new connection (or fails).
     */
    public static void reach(ConnectionFactory factory) {
        try (Connection connection = factory.createConnection()) {
            connection.createChannel(false).close();
        } catch (IOException | TimeoutException e) {
            throw new AmqpIOException(new IOException("closing the probe's channel failed", e));
        }
    }
}
