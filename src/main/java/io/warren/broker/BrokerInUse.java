package io.warren.broker;

import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/** The broker warren talks to: its address, and the embedded broker when warren runs one itself (else null). */
public record BrokerInUse(BrokerAddress address, EmbeddedBroker embedded) {

    public boolean isEmbedded() {
        return embedded != null;
    }

    /** Opens and closes a connection: reaching the broker is the whole check. */
    public static void reach(ConnectionFactory factory) {
        try (Connection ignored = factory.createConnection()) {
            // nothing to do with it
        }
    }
}
