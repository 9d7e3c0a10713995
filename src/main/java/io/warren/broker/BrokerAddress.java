package io.warren.broker;

import com.rabbitmq.client.ConnectionFactory;
import io.warren.observe.Redact;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * The broker URL (amqp or amqps, with credentials and vhost), parsed once. {@link #toString()}
 * masks the password, so the address can be logged anywhere.
 *
 * <p>A cluster's nodes are given as comma-separated URLs. The first carries the scheme, the
 * credentials and the vhost; the others may repeat them or name only host and port, but may not
 * differ: one warren talks to one cluster.
 */
public final class BrokerAddress {

    private final URI uri;
    private final List<URI> others;
    private final String password;

    private BrokerAddress(URI uri, List<URI> others, String password) {
        this.uri = uri;
        this.others = others;
        this.password = password;
    }

    public static BrokerAddress parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("warren.rabbitmq.url is empty");
        }
        String[] urls = url.split(",");
        URI first = parseOne(urls[0]);
        List<URI> others = new ArrayList<>();
        for (int i = 1; i < urls.length; i++) {
            URI other = parseOne(urls[i]);
            boolean sameUser = other.getRawUserInfo() == null || other.getRawUserInfo().equals(first.getRawUserInfo());
            boolean sameVhost = vhostOf(other).isEmpty() || vhostOf(other).equals(vhostOf(first));
            if (!other.getScheme().equals(first.getScheme()) || !sameUser || !sameVhost) {
                throw new IllegalArgumentException("the URLs in warren.rabbitmq.url must share scheme, user and vhost (one cluster): "
                        + Redact.passwords(url));
            }
            others.add(other);
        }
        return new BrokerAddress(first, List.copyOf(others), null);
    }

    private static String vhostOf(URI uri) {
        String path = Objects.requireNonNullElse(uri.getRawPath(), "");
        return path.equals("/") ? "" : path;
    }

    private static URI parseOne(String url) {
        if (url.isBlank()) {
            throw new IllegalArgumentException("warren.rabbitmq.url has an empty entry between commas");
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
        return uri;
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
        ConnectionFactory factory = DeferredFlush.connectionFactory();
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

    /**
     * Every node as host:port, in the order given, when there is more than one; null for a single
     * broker (its host and port are in {@link #clientFactory()}).
     */
    public String nodes() {
        if (others.isEmpty()) {
            return null;
        }
        List<URI> all = new ArrayList<>(List.of(uri));
        all.addAll(others);
        int defaultPort = isTls() ? ConnectionFactory.DEFAULT_AMQP_OVER_SSL_PORT : ConnectionFactory.DEFAULT_AMQP_PORT;
        return all.stream().map(node -> node.getHost() + ":" + (node.getPort() == -1 ? defaultPort : node.getPort()))
                .collect(Collectors.joining(","));
    }

    public boolean isTls() {
        return "amqps".equals(uri.getScheme());
    }

    /** The same address with another password: for a password kept in a file (Docker secrets). */
    public BrokerAddress withPassword(String password) {
        return new BrokerAddress(uri, others, password);
    }

    @Override
    public String toString() {
        String nodes = others.stream().map(node -> "," + Redact.passwords(node.toString())).collect(Collectors.joining());
        return Redact.passwords(uri.toString()) + nodes;
    }

}
