package io.warren.broker;

import java.time.Duration;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection factory warren publishes and consumes through: publisher confirms
 * (CORRELATED, so the Camel producer waits for them) and returns on. {@link #awaitBroker} blocks
 * start-up until the broker answers, logging each failed attempt instead of hanging silently.
 */
public final class BrokerConnection {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnection.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private BrokerConnection() {
    }

    public static CachingConnectionFactory factory(BrokerAddress address, int channelCacheSize) {
        CachingConnectionFactory factory = new CachingConnectionFactory(address.clientFactory());
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setChannelCacheSize(channelCacheSize);
        factory.setConnectionNameStrategy(f -> "warren");
        return factory;
    }

    /** Tries to connect until it works or the timeout passes (zero or less: forever). */
    public static void awaitBroker(CachingConnectionFactory factory, BrokerAddress address, Duration timeout) {
        long deadline = timeout.isZero() || timeout.isNegative() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        Duration backoff = Duration.ofMillis(500);
        for (int attempt = 1; ; attempt++) {
            try (Connection ignored = factory.createConnection()) {
                LOG.info("Connected to RabbitMQ at {}", address);
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() + backoff.toNanos() > deadline) {
                    throw new IllegalStateException("RabbitMQ at " + address + " is unreachable, gave up after "
                            + attempt + " attempts: " + rootMessage(e), e);
                }
                LOG.warn("RabbitMQ at {} is unreachable ({}); attempt {}, retrying in {} ms", address, rootMessage(e),
                        attempt, backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return BrokerAddress.mask(root.getClass().getSimpleName() + ": " + root.getMessage());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for RabbitMQ", e);
        }
    }
}
