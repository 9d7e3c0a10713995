package io.warren.broker;

import com.rabbitmq.client.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpResourceNotAvailableException;

/**
 * Whether the broker blocks warren's publishing connection (a memory or disk alarm), from its
 * connection.blocked and connection.unblocked notices. One state per connection, so a late notice
 * of an old connection cannot block its successor; a connection that closes while blocked sends no
 * unblocked notice, so its close clears its state.
 */
final class BlockedPublishing {

    private static final Logger LOG = LoggerFactory.getLogger(BlockedPublishing.class);

    private volatile State current = new State(null);

    private static final class State {
        final Connection connection;
        volatile String because; // null: not blocked

        State(Connection connection) {
            this.connection = connection;
        }
    }

    /** Follows the notices of this connection from now on (nothing when it is followed already). */
    synchronized void watch(Connection connection) {
        if (connection == current.connection) {
            return;
        }
        State state = new State(connection);
        current = state;
        connection.addBlockedListener(reason -> {
            state.because = reason == null || reason.isBlank() ? "a resource alarm" : reason;
            LOG.warn("RabbitMQ blocks warren's publishing connection ({}): publishes fail at once until it is lifted "
                    + "(new jobs wait in the outbox)", state.because);
        }, () -> {
            state.because = null;
            LOG.info("RabbitMQ unblocked warren's publishing connection: publishing again (the outbox relay takes the jobs that waited)");
        });
        connection.addShutdownListener(closed -> state.because = null);
    }

    /** Throws while the broker blocks the connection: a publish then would only wait in its socket. */
    void require() {
        String because = current.because;
        if (because != null) {
            throw new AmqpResourceNotAvailableException("the broker blocks publishing until its resource alarm clears (" + because + ")");
        }
    }
}
