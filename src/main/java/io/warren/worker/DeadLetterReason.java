package io.warren.worker;

import io.warren.api.JobHeaders;
import io.warren.api.JobProperties;
import io.warren.api.PermanentJobFailure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.component.springrabbit.SpringRabbitMQEndpoint;
import org.springframework.amqp.core.MessageDeliveryMode;

/**
 * Writes why a job failed onto the message bound for its dead-letter queue: exception class and
 * message, a stack trace cut to a bound (AMQP headers share one frame, 128 KiB by default), the
 * attempts made, when, and the queue and route it failed in. The routing key is the job type.
 */
public class DeadLetterReason implements Processor {

    private int maxStackChars = 4000;
    private int maxMessageChars = 1000;

    public void setMaxStackChars(int maxStackChars) {
        this.maxStackChars = maxStackChars;
    }

    public void setMaxMessageChars(int maxMessageChars) {
        this.maxMessageChars = maxMessageChars;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof PermanentJobFailure && failure.getCause() != null) {
            failure = failure.getCause();
        }
        SpringRabbitMQEndpoint source = (SpringRabbitMQEndpoint) exchange.getFromEndpoint();

        if (failure != null) {
            message.setHeader(JobHeaders.ERROR_CLASS, failure.getClass().getName());
            message.setHeader(JobHeaders.ERROR_MESSAGE, cut(String.valueOf(failure.getMessage()), maxMessageChars));
            message.setHeader(JobHeaders.ERROR_STACK, cut(stackTrace(failure), maxStackChars));
        }
        message.setHeader(JobHeaders.ATTEMPTS, exchange.getProperty(JobProperties.ATTEMPT, 1, Integer.class));
        message.setHeader(JobHeaders.FAILED_AT, Instant.now().toString());
        message.setHeader(JobHeaders.SOURCE_QUEUE, source.getQueues());
        message.setHeader(JobHeaders.ROUTE, exchange.getFromRouteId());
        message.setHeader(SpringRabbitMQConstants.DELIVERY_MODE, MessageDeliveryMode.PERSISTENT);
        message.setHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, source.getRoutingKey());
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
