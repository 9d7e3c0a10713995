package io.warren.it;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A raw AMQP client for tests: what any other client could do to warren's broker. */
public final class Amqp implements AutoCloseable {

    private final Connection connection;

    public Amqp(String url) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(url);
        if (factory.getVirtualHost().isEmpty()) {
            factory.setVirtualHost("/");
        }
        connection = factory.newConnection("warren-tests");
    }

    public long depth(String queue) throws Exception {
        try (Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        }
    }

    public int consumers(String queue) throws Exception {
        try (Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive(queue).getConsumerCount();
        }
    }

    /** A queue of the test's own, bound to an exchange: a tap that receives a copy of what is routed. */
    public void tap(String queue, String exchange, String key, Map<String, Object> args) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, false, false, false, args);
            channel.queueBind(queue, exchange, key);
        }
    }

    /** A queue of the test's own that refuses every message: a publish routed to it is nacked by the broker. */
    public void refusing(String queue, String exchange, String key) throws Exception {
        tap(queue, exchange, key, Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
    }

    public GetResponse get(String queue) throws Exception {
        try (Channel channel = connection.createChannel()) {
            return channel.basicGet(queue, true);
        }
    }

    public List<GetResponse> drain(String queue) throws Exception {
        List<GetResponse> all = new ArrayList<>();
        for (GetResponse r = get(queue); r != null; r = get(queue)) {
            all.add(r);
        }
        return all;
    }

    public void publish(String exchange, String key, AMQP.BasicProperties props, String body) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(exchange, key, props, body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5000);
        }
    }

    /** Declares a queue; returns null when the broker accepted it, or the broker's refusal. */
    public String declare(String queue, boolean durable, Map<String, Object> args) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, durable, false, false, args);
            return null;
        } catch (IOException e) {
            return String.valueOf(e.getCause());
        }
    }

    public void deleteQueue(String queue) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.queueDelete(queue);
        }
    }

    public void purge(String queue) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.queuePurge(queue);
        }
    }

    public void deleteExchange(String exchange) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.exchangeDelete(exchange);
        }
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
