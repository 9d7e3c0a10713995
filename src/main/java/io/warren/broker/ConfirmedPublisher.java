package io.warren.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.AmqpIOException;
import org.springframework.amqp.AmqpTimeoutException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.RabbitExceptionTranslator;

/**
 * Publishes with publisher confirms pipelined: a few long-lived channels in confirm mode, any
 * number of messages in flight on each, and a future per message that the broker's (multiple)
 * ack or nack completes. A caller waits for its own confirm only, never for a channel.
 *
 * <p>Why not RabbitTemplate with correlated confirms: Spring's channel cache parks a confirm
 * channel until its ack arrives, so each concurrent send opened a fresh channel and closed it
 * again afterwards, about one channel opened per five jobs under load, each an Erlang process
 * started and stopped in the broker. Here the channels stay open; when one closes (the connection
 * dropped, the broker refused something) its unconfirmed messages count as not confirmed and the
 * next publish opens a new one.
 *
 * <p>At most {@code maxInFlight} messages wait for their confirm at once: past that, a publish
 * waits for a confirm (or a message's deadline) to free a place, until its own deadline, then it
 * fails as the broker being away does. Without the bound, an intake that answers before the confirm (answer-after=commit)
 * took 8,000 jobs a second from a broker that confirms fewer: its backlog grew until the confirms
 * came later than the timeout, and the relay published every job again. With it, the broker's pace
 * is the intake's, as the RabbitMQ client's guide on publisher confirms advises.
 *
 * <p>While the broker blocks the connection (a memory or disk alarm: it stops reading what
 * publishers send, and says so with connection.blocked), a publish fails at once, as with the
 * broker away: a new job is answered from the outbox and the relay publishes it once the alarm is
 * over. Publishing into the blocked socket instead held each caller until its confirm timed out,
 * and a caller whose write filled the socket's buffer held its lane, and every caller behind it,
 * for as long as the alarm lasted.
 */
public final class ConfirmedPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ConfirmedPublisher.class);
    // a channel is one process in the broker: a few let concurrent publishers run side by side
    private static final int LANES = 4;
    private static final MessagePropertiesConverter PROPERTIES = new DefaultMessagePropertiesConverter();

    private final ConnectionFactory connections;
    private final Lane[] lanes = new Lane[LANES];
    private final AtomicInteger next = new AtomicInteger();
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final BlockedPublishing blocked = new BlockedPublishing();

    /** A message for {@link #publishAll}. */
    public record Outgoing(String exchange, String routingKey, Message message) {
    }

    public ConfirmedPublisher(ConnectionFactory connections, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("warren.rabbitmq.max-in-flight must be at least 1, not " + maxInFlight);
        }
        this.connections = connections;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        for (int i = 0; i < LANES; i++) {
            lanes[i] = new Lane();
        }
    }

    /**
     * Publishes the message; the future completes true when the broker confirmed it, false when it
     * nacked it, the channel closed first or {@code deadline} (System.nanoTime) passed: its place
     * is free again then, whatever the broker does later. Throws AmqpException when the broker
     * cannot be reached, the channel closed under the publish, or no place came free by the deadline.
     */
    public CompletableFuture<Boolean> publish(String exchange, String routingKey, Message message, long deadline) {
        blocked.require();
        AMQP.BasicProperties properties = PROPERTIES.fromMessageProperties(message.getMessageProperties(),
                StandardCharsets.UTF_8.name());
        awaitPlace(deadline);
        CompletableFuture<Boolean> confirm;
        try {
            confirm = lanes[Math.floorMod(next.getAndIncrement(), LANES)].publish(exchange, routingKey, properties, message.getBody());
        } catch (AmqpException e) {
            inFlight.release();
            throw e;
        } catch (IOException | RuntimeException e) {
            inFlight.release();
            // a channel or connection that closed under the publish (AlreadyClosedException) is
            // the broker being away, as for RabbitTemplate: an AmqpException
            throw RabbitExceptionTranslator.convertRabbitAccessException(e);
        }
        CompletableFuture<Boolean> settled = confirm.completeOnTimeout(false, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        settled.whenComplete((acked, failure) -> inFlight.release());
        return settled;
    }

    /**
     * Publishes the messages in order, each as {@link #publish}, their frames sent to the socket in
     * as few writes as its buffer allows rather than one per message ({@link DeferredFlush}). Throws
     * as publish does when the broker took none; once it took some, a message it could not take and
     * the ones after it are not sent, and their futures complete false.
     */
    public List<CompletableFuture<Boolean>> publishAll(List<Outgoing> messages, long deadline) {
        List<CompletableFuture<Boolean>> confirms = new ArrayList<>(messages.size());
        try (DeferredFlush.Run run = messages.size() > 1 ? together() : null) { // one message: nothing to gather
            for (Outgoing message : messages) {
                try {
                    confirms.add(publish(message.exchange(), message.routingKey(), message.message(), deadline));
                } catch (RuntimeException e) {
                    if (confirms.isEmpty()) {
                        throw e;
                    }
                    LOG.warn("The broker took {} of {} message(s) ({}); the rest were not sent", confirms.size(), messages.size(),
                            e.getMessage());
                    break;
                }
            }
        }
        while (confirms.size() < messages.size()) {
            confirms.add(CompletableFuture.completedFuture(false));
        }
        return confirms;
    }

    /** Opens a run of publishes on this thread whose frames are flushed when it closes; close it before waiting for their confirms. */
    DeferredFlush.Run together() {
        return DeferredFlush.run();
    }

    private void awaitPlace(long deadline) {
        if (inFlight.tryAcquire()) {
            return;
        }
        DeferredFlush.sendNow(); // the places may be held by this thread's own messages, not yet sent
        try {
            if (!inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new AmqpTimeoutException(maxInFlight + " publishes wait for the broker's confirm (warren.rabbitmq.max-in-flight);"
                        + " none came in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AmqpIOException(new java.io.InterruptedIOException("interrupted while waiting to publish"));
        }
    }

    /** The same, waited for: throws unless the broker confirmed it within the timeout. */
    public void publishAndWait(String exchange, String routingKey, Message message, long timeoutMillis) throws Exception {
        if (!publish(exchange, routingKey, message, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis)).get()) {
            throw new TimeoutException("the broker did not confirm it within " + timeoutMillis + " ms (or refused it: a nack, its channel closed)");
        }
    }

    /** One long-lived confirm channel at a time, opened again when it closed. */
    private final class Lane {

        private ConfirmChannel current;

        synchronized CompletableFuture<Boolean> publish(String exchange, String routingKey, AMQP.BasicProperties properties,
                                                        byte[] body) throws IOException {
            if (current == null || !current.isOpen()) {
                current = new ConfirmChannel(freshChannel());
            }
            blocked.require(); // again: a caller may have waited for a place or for this lane while the notice came
            return current.publish(exchange, routingKey, properties, body);
        }

        private Channel freshChannel() throws IOException {
            Connection connection = connections.createConnection();
            if (!connection.isOpen()) {
                // Spring replaces a dead connection only when it is next asked for a channel
                try {
                    connection.createChannel(false).close();
                } catch (TimeoutException e) {
                    throw new IOException(e);
                }
                connection = connections.createConnection();
            }
            com.rabbitmq.client.Connection delegate = connection.getDelegate();
            blocked.watch(delegate);
            return delegate.createChannel();
        }
    }
}
