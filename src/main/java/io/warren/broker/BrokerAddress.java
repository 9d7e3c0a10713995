package io.warren.broker;

import com.rabbitmq.client.ConnectionFactory;
import io.warren.observe.Redact;
import java.net.URI;
import java.net.URISyntaxException;
import javax.net.ssl.SSLContext;

/**
 * The broker URL (amqp or amqps, with credentials and vhost), parsed once. {@link #toString()}
 * masks the password, so the address can be logged anywhere.
 */
public final class BrokerAddress {

    private final URI uri;
    private final String password;

    private BrokerAddress(URI uri, String password) {
        this.uri = uri;
        this.password = password;
    }

    public static BrokerAddress parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("warren.rabbitmq.url is empty");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("warren.rabbitmq.url is not a URI: " + Redact.passwords(url));
        }
        if (!"amqp".equals(uri.getScheme()) && !"amqps".equals(uri.getScheme())) {
            throw new IllegalArgumentException("warren.rabbitmq.url must start with amqp:// or amqps://, got " + Redact.passwords(url));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("warren.rabbitmq.url has no host: " + Redact.passwords(url));
        }
        return new BrokerAddress(uri, null);
    }

    /** A client factory for this address; an empty or missing vhost means the default vhost "/". */
    public ConnectionFactory clientFactory() {
        return clientFactory(null);
    }

    /**
     * A client factory for this address. For amqps the broker's certificate and host name are
     * verified with the given context (the JVM's default trust when null), never trusted blindly.
     */
    public ConnectionFactory clientFactory(SSLContext tls) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            if (isTls()) {
                // the client's own amqps handling installs a trust-everything manager: parse as amqp
                // and set up verified TLS here
                factory.setUri(new URI("amqp" + uri.toString().substring("amqps".length())));
                factory.setPort(uri.getPort() == -1 ? ConnectionFactory.DEFAULT_AMQP_OVER_SSL_PORT : uri.getPort());
                factory.useSslProtocol(tls != null ? tls : SSLContext.getDefault());
                factory.enableHostnameVerification();
            } else {
                factory.setUri(uri);
            }
            if (password != null) {
                factory.setPassword(password);
            }
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

    public boolean isTls() {
        return "amqps".equals(uri.getScheme());
    }

    /** The same address with another password: for a password kept in a file (Docker secrets). */
    public BrokerAddress withPassword(String password) {
        return new BrokerAddress(uri, password);
    }

    @Override
    public String toString() {
        return Redact.passwords(uri.toString());
    }

}
