package io.warren.broker;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;

/**
 * Readiness is DOWN while RabbitMQ cannot be reached: without this check Camel reports UP with the
 * broker gone, because the listener containers only log their reconnect attempts.
 */
public class BrokerHealthCheck extends AbstractHealthCheck {

    private final CachingConnectionFactory factory;
    private final BrokerAddress address;

    public BrokerHealthCheck(CachingConnectionFactory factory, BrokerAddress address) {
        super("warren", "broker");
        this.factory = factory;
        this.address = address;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("broker", address.toString());
        try (Connection connection = factory.createConnection()) {
            if (connection.isOpen()) {
                builder.up();
            } else {
                builder.down().message("RabbitMQ connection is closed");
            }
        } catch (RuntimeException e) {
            builder.down().message("RabbitMQ is unreachable: " + BrokerAddress.mask(String.valueOf(e.getMessage())));
        }
    }
}
