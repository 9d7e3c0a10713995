package io.warren.publish;

import io.warren.api.JobHeaders;
import io.warren.store.JobRecord;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;

/** The AMQP message of a stored job: the payload as body, warren's headers only, persistent. */
final class JobMessage {

    private JobMessage() {
    }

    /** {@code republished}: a copy after the first publish (the relay's), marked so the worker's claim tells them apart. */
    static Message of(JobRecord job, boolean republished) {
        Message message = MessageBuilder.withBody(job.payload().getBytes(StandardCharsets.UTF_8))
                .setMessageId(job.id())
                .setTimestamp(Date.from(job.acceptedAt()))
                .setContentType("application/json")
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setCorrelationId(job.correlationId())
                .setHeader(JobHeaders.TYPE, job.type())
                .setHeader(JobHeaders.PRODUCER, job.producer())
                .setHeader(JobHeaders.HOST, job.host())
                .setHeader(JobHeaders.CORRELATION_ID, job.correlationId())
                .setHeader(JobHeaders.ACCEPTED_AT, job.acceptedAt().toString())
                .build();
        if (republished) {
            message.getMessageProperties().setHeader(JobHeaders.REPUBLISHED, "true");
        }
        return message;
    }
}
