package io.warren.worker;

import io.warren.api.JobHeaders;
import io.warren.api.PermanentJobFailure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

/**
 * Why a job failed, written onto the copy bound for its dead-letter queue: exception class and
 * message, a stack trace cut to a bound (AMQP headers share one frame, 128 KiB by default), the
 * attempts made, when, and the queue and route it failed in. The body is the consumed one.
 */
public class DeadLetterReason {

    private int maxStackChars = 4000;
    private int maxMessageChars = 1000;

    public void setMaxStackChars(int maxStackChars) {
        this.maxStackChars = maxStackChars;
    }

    public void setMaxMessageChars(int maxMessageChars) {
        this.maxMessageChars = maxMessageChars;
    }

    /** The failure, as the dead letter and the job store keep it. */
    public record Reason(String errorClass, String message, String stack) {
    }

    public Reason of(Throwable failure) {
        Throwable cause = failure instanceof PermanentJobFailure && failure.getCause() != null ? failure.getCause() : failure;
        return new Reason(cause.getClass().getName(), cut(String.valueOf(cause.getMessage()), maxMessageChars),
                cut(stackTrace(cause), maxStackChars));
    }

    /** The dead letter: the consumed body and headers, persistent, with the reason. */
    public Message deadLetter(Message consumed, Reason reason, int attempts, String queue, String route) {
        Message copy = MessageBuilder.fromClonedMessage(consumed).build();
        MessageProperties properties = copy.getMessageProperties();
        properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        properties.getHeaders().remove(JobHeaders.RETRY_OF_ATTEMPT);
        properties.setHeader(JobHeaders.ERROR_CLASS, reason.errorClass());
        properties.setHeader(JobHeaders.ERROR_MESSAGE, reason.message());
        properties.setHeader(JobHeaders.ERROR_STACK, reason.stack());
        properties.setHeader(JobHeaders.ATTEMPTS, attempts);
        properties.setHeader(JobHeaders.FAILED_AT, Instant.now().toString());
        properties.setHeader(JobHeaders.SOURCE_QUEUE, queue);
        properties.setHeader(JobHeaders.ROUTE, route);
        return copy;
    }

    private static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…[" + (text.length() - max) + " more chars]";
    }
}
