package io.warren.publish;

import io.warren.api.JobHeaders;
import io.warren.store.JobRecord;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.apache.camel.Message;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.springframework.amqp.core.MessageDeliveryMode;

/**
 * The AMQP message of a stored job, the same whether the intake or the outbox relay publishes it:
 * the payload as body, warren's headers only (every other header is dropped), persistent.
 */
public final class JobMessage {

    private JobMessage() {
    }

    public static void apply(Message message, JobRecord job) {
        message.getHeaders().clear();
        message.setBody(job.payload().getBytes(StandardCharsets.UTF_8));
        message.setHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, job.type());
        message.setHeader(SpringRabbitMQConstants.MESSAGE_ID, job.id());
        message.setHeader(SpringRabbitMQConstants.TIMESTAMP, Date.from(job.acceptedAt()));
        message.setHeader(SpringRabbitMQConstants.CONTENT_TYPE, "application/json");
        message.setHeader(SpringRabbitMQConstants.DELIVERY_MODE, MessageDeliveryMode.PERSISTENT);
        message.setHeader(SpringRabbitMQConstants.CORRELATION_ID, job.correlationId());
        message.setHeader(JobHeaders.TYPE, job.type());
        message.setHeader(JobHeaders.PRODUCER, job.producer());
        message.setHeader(JobHeaders.HOST, job.host());
        message.setHeader(JobHeaders.CORRELATION_ID, job.correlationId());
        message.setHeader(JobHeaders.ACCEPTED_AT, job.acceptedAt().toString());
    }
}
