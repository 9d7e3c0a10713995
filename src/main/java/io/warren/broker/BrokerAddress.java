package io.warren.broker;

import com.rabbitmq.client.ConnectionFactory;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * The broker URL (amqp or amqps, with credentials and vhost), parsed once. {@link #toString()}
 * masks the password, so the address can be logged anywhere.
 */
public final class BrokerAddress {

    private final URI uri;

    private BrokerAddress(URI uri) {
        this.uri = uri;
    }

    public static BrokerAddress parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("warren.rabbitmq.url is empty");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("warren.rabbitmq.url is not a URI: " + mask(url));
        }
        if (!"amqp".equals(uri.getScheme()) && !"amqps".equals(uri.getScheme())) {
            throw new IllegalArgumentException("warren.rabbitmq.url must start with amqp:// or amqps://, got " + mask(url));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("warren.rabbitmq.url has no host: " + mask(url));
        }
        return new BrokerAddress(uri);
    }

    /** A client factory for this address; an empty or missing vhost means the default vhost "/". */
    public ConnectionFactory clientFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
        } catch (Exception e) {
            throw new IllegalArgumentException("warren.rabbitmq.url is not usable: " + this, e);
        }
        // Spring AMQP reconnects on its own; the client's recovery would fight it.
        factory.setAutomaticRecoveryEnabled(false);
        if (factory.getVirtualHost().isEmpty()) {
            factory.setVirtualHost("/");
        }
        return factory;
    }

    @Override
    public String toString() {
        return mask(uri.toString());
    }

    /** Replaces the password of a URL-like string with ****; used for every log line and error. */
    public static String mask(String url) {
        return url == null ? null : url.replaceAll("(://[^:/@]*):[^@/]*@", "$1:****@");
    }
}
