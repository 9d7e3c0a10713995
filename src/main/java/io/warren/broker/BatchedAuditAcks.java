package io.warren.broker;

import org.apache.camel.component.springrabbit.DefaultListenerContainerFactory;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;

/**
 * The listener containers of Camel's spring-rabbitmq consumers, as Camel makes them, except that
 * the audit queue's consumer acks its copies in batches: one ack (multiple) per
 * {@code messagesPerAck} copies, or once {@code ackTimeoutMillis} passed since the last ack (checked
 * when a copy arrives, and at least every second when none do), and whatever is pending when the
 * consumer stops. A copy is acked only after its line was written, as before; one ack per message
 * halved the broker's own limit for warren's topology (bench/limit-patterns.sh). The cost: after a
 * crash, up to that many lines the broker delivers again and the log holds twice.
 */
public class BatchedAuditAcks extends DefaultListenerContainerFactory {

    private final String auditQueue;
    private final int messagesPerAck;
    private final long ackTimeoutMillis;

    public BatchedAuditAcks(String auditQueue, int messagesPerAck, long ackTimeoutMillis) {
        this.auditQueue = auditQueue;
        this.messagesPerAck = messagesPerAck;
        this.ackTimeoutMillis = ackTimeoutMillis;
    }

    @Override
    public AbstractMessageListenerContainer createListenerContainer(SpringRabbitMQEndpoint endpoint) {
        AbstractMessageListenerContainer container = super.createListenerContainer(endpoint);
        if (messagesPerAck > 1 && auditQueue.equals(endpoint.getQueues()) && endpoint.getAcknowledgeMode() == AcknowledgeMode.AUTO
                && container instanceof DirectMessageListenerContainer direct) {
            // acks wait for a batch only while the broker can send more: at most half the prefetch
            Integer prefetch = endpoint.getPrefetchCount();
            direct.setMessagesPerAck(prefetch == null ? messagesPerAck : Math.max(1, Math.min(messagesPerAck, prefetch / 2)));
            direct.setAckTimeout(ackTimeoutMillis);
            direct.setMonitorInterval(1000); // flushes the acks of the last copies of a burst (default: every 10 s)
        }
        return container;
    }
}
