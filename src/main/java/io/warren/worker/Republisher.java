package io.warren.worker;

import io.warren.broker.ConfirmedPublisher;
import org.springframework.amqp.core.Message;

/** Publishes a copy of a consumed job (to wait for a retry, or as a dead letter), confirmed before the original is acked. */
public class Republisher {

    private final ConfirmedPublisher broker;
    private final long confirmTimeoutMillis;

    public Republisher(ConfirmedPublisher broker, long confirmTimeoutMillis) {
        this.broker = broker;
        this.confirmTimeoutMillis = confirmTimeoutMillis;
    }

    /** Throws (AmqpException among others) when the broker cannot be reached, nacks the copy, or does not confirm it in time. */
    public void publish(String exchange, String routingKey, Message copy) throws Exception {
        broker.publishAndWait(exchange, routingKey, copy, confirmTimeoutMillis);
    }
}
