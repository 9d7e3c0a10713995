package io.warren.worker;

import io.warren.api.JobHeaders;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/**
 * One delivery from a job type's work queue. The attempt it starts with travels on the message
 * (header {@value JobHeaders#RETRY_OF_ATTEMPT}, set when a failed job is sent to wait in a retry queue), so
 * it is right across restarts, crashes and instances. A message without a message id was
 * published by some other client: it runs, but there is nothing to record.
 */
public record Delivery(String id, String type, int firstAttempt, boolean redelivered, boolean republished, Message message) {

    public static Delivery of(Message message, String type) {
        MessageProperties properties = message.getMessageProperties();
        Object attempts = properties.getHeader(JobHeaders.RETRY_OF_ATTEMPT);
        Object republished = properties.getHeader(JobHeaders.REPUBLISHED);
        int done = 0;
        if (attempts != null) {
            try {
                done = Math.max(0, Integer.parseInt(attempts.toString()));
            } catch (NumberFormatException e) {
                done = 0;
            }
        }
        return new Delivery(properties.getMessageId(), type, done + 1,
                Boolean.TRUE.equals(properties.getRedelivered()),
                "true".equals(String.valueOf(republished)), message);
    }
}
