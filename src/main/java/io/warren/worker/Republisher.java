package io.warren.worker;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/** Publishes a copy of a consumed job (to wait for a retry, or as a dead letter), confirmed before the original is acked. */
public class Republisher {

    private final RabbitTemplate template;
    private final long confirmTimeoutMillis;

    public Republisher(RabbitTemplate template, long confirmTimeoutMillis) {
        this.template = template;
        this.confirmTimeoutMillis = confirmTimeoutMillis;
    }

    /** Throws (AmqpException among others) when the broker cannot be reached, nacks the copy, or does not confirm it in time. */
    public void publish(String exchange, String routingKey, Message copy) throws Exception {
        CorrelationData confirm = new CorrelationData("");
        try {
            template.send(exchange, routingKey, copy, confirm);
            CorrelationData.Confirm answer = confirm.getFuture().get(confirmTimeoutMillis, TimeUnit.MILLISECONDS);
            if (!answer.isAck()) {
                throw new IllegalStateException("the broker refused it: " + answer.getReason());
            }
        } catch (TimeoutException e) {
            throw new TimeoutException("the broker did not confirm it within " + confirmTimeoutMillis + " ms");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
