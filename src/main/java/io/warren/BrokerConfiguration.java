package io.warren;

import io.warren.broker.BrokerAddress;
import io.warren.broker.QueueOptions;
import io.warren.broker.BrokerChoice;
import io.warren.broker.BrokerConnection;
import io.warren.broker.BrokerInUse;
import io.warren.broker.BrokerTls;
import io.warren.broker.ConfirmedPublisher;
import io.warren.broker.EmbeddedBroker;
import io.warren.broker.JobTopology;
import io.warren.broker.Names;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * RabbitMQ: the configured broker (or the embedded development broker, see {@link BrokerChoice}),
 * waited for at start; the one connection factory; the exchange and queue names; the shared
 * topology, declared at start.
 */
@Configuration
public class BrokerConfiguration implements CamelConfiguration {

    private static final String DEFAULT_BROKER_URL = "amqp://guest:guest@localhost:5672/";

    @PropertyInject("warren.rabbitmq.url")
    private String url;
    @PropertyInject("warren.broker")
    private String mode;
    @PropertyInject("warren.broker.embedded-port")
    private int embeddedPort;
    @PropertyInject("warren.data.dir")
    private String dataDir;
    @PropertyInject(value = "warren.rabbitmq.password-file", defaultValue = "")
    private String passwordFile;
    @PropertyInject(value = "warren.rabbitmq.tls.truststore", defaultValue = "")
    private String truststore;
    @PropertyInject(value = "warren.rabbitmq.tls.truststore-password", defaultValue = "")
    private String truststorePassword;
    @PropertyInject(value = "warren.rabbitmq.tls.keystore", defaultValue = "")
    private String keystore;
    @PropertyInject(value = "warren.rabbitmq.tls.keystore-password", defaultValue = "")
    private String keystorePassword;
    @PropertyInject("warren.rabbitmq.channel-cache-size")
    private int channelCacheSize;
    @PropertyInject("warren.rabbitmq.consumer-threads")
    private int consumerThreads;
    @PropertyInject("warren.rabbitmq.startup-timeout-seconds")
    private long startupTimeoutSeconds;
    @PropertyInject("warren.worker.drain-timeout-seconds")
    private long drainTimeoutSeconds;

    @BindToRegistry(lazy = true)
    public BrokerInUse brokerInUse() throws Exception {
        boolean configured = System.getProperty("warren.rabbitmq.url") != null || System.getenv("WARREN_RABBITMQ_URL") != null
                || !DEFAULT_BROKER_URL.equals(url.trim());
        if (BrokerChoice.choose(mode, configured, !configured && answers("localhost", 5672)) == BrokerChoice.Kind.EXTERNAL) {
            BrokerAddress address = BrokerAddress.parse(url);
            return new BrokerInUse(passwordFile.isBlank() ? address : address.withPassword(Settings.secret(null, passwordFile)), null);
        }
        EmbeddedBroker embedded = EmbeddedBroker.start(Path.of(dataDir, "embedded-broker").toAbsolutePath().normalize(), embeddedPort);
        return new BrokerInUse(BrokerAddress.parse(embedded.url()), embedded);
    }

    @BindToRegistry(value = "rabbitConnectionFactory", lazy = true)
    public CachingConnectionFactory connectionFactory(BrokerInUse broker) {
        BrokerAddress address = broker.address();
        SSLContext tls = address.isTls() && !truststore.isBlank()
                ? BrokerTls.context(truststore, blankToNull(truststorePassword), blankToNull(keystore), blankToNull(keystorePassword))
                : null;
        return BrokerConnection.factory(address, tls, channelCacheSize, consumerThreads);
    }

    /**
     * Jobs and their copies (retries, dead letters) go out through it: confirms pipelined on
     * long-lived channels, on a connection of their own (Spring's publisher connection, same
     * settings). A broker that blocks publishers (a memory or disk alarm) stops reading from
     * their connection; consumers sharing it could then not ack either, and the queues that would
     * relieve the alarm would not drain. RabbitMQ's guides advise the two apart for this reason.
     */
    @BindToRegistry(lazy = true)
    public ConfirmedPublisher confirmedPublisher(CachingConnectionFactory factory,
                                                 @PropertyInject("warren.rabbitmq.max-in-flight") int maxInFlight) {
        return new ConfirmedPublisher(factory.getPublisherConnectionFactory(), maxInFlight);
    }

    @BindToRegistry(lazy = true)
    public RabbitAdmin rabbitAdmin(CachingConnectionFactory factory) {
        return new RabbitAdmin(factory);
    }

    @BindToRegistry(lazy = true)
    public Names names(@PropertyInject("warren.exchange.jobs") String jobs, @PropertyInject("warren.exchange.dead") String dead,
                       @PropertyInject("warren.queue.audit") String audit, @PropertyInject("warren.queue.work-prefix") String work,
                       @PropertyInject("warren.queue.dead-prefix") String deadPrefix) {
        return new Names(jobs, dead, audit, work, deadPrefix);
    }

    @BindToRegistry(lazy = true)
    public JobTopology jobTopology(RabbitAdmin admin, Names names, BrokerInUse broker,
                                   @PropertyInject("warren.queue.type") String queueType,
                                   @PropertyInject(value = "warren.queue.version", defaultValue = "") String queueVersion) {
        boolean quorum = QueueOptions.isQuorum("warren.queue.type", queueType);
        if (quorum && broker.isEmbedded()) {
            throw new IllegalArgumentException("warren.queue.type=quorum needs RabbitMQ; the embedded development broker has no quorum queues");
        }
        Integer version = QueueOptions.version("warren.queue.version", queueVersion);
        if (version != null && broker.isEmbedded()) {
            throw new IllegalArgumentException("warren.queue.version needs RabbitMQ; the embedded development broker has one queue storage");
        }
        return new JobTopology(admin, names, broker.isEmbedded(), quorum, version);
    }

    /** At start: wait for the broker, declare the exchanges and the audit queue. */
    @Override
    public void configure(CamelContext context) {
        BrokerInUse broker = Beans.get(context, BrokerInUse.class);
        if (broker.isEmbedded()) {
            Beans.closeAtStop(context, broker.embedded());
        }
        CachingConnectionFactory factory = Beans.get(context, CachingConnectionFactory.class);
        Beans.closeAtStop(context, factory::destroy);
        StartupWait.until("RabbitMQ at " + broker.address(), Duration.ofSeconds(startupTimeoutSeconds), () -> BrokerInUse.reach(factory));
        Beans.get(context, JobTopology.class).declareShared();
        // Running jobs get the drain timeout to finish and be acked; the listener default (5 s)
        // would close their channels and run them twice.
        context.getComponent("spring-rabbitmq", SpringRabbitMQComponent.class).setShutdownTimeout(drainTimeoutSeconds * 1000);
        context.getShutdownStrategy().setTimeout(drainTimeoutSeconds + 10);
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String blankToNull(String value) {
        return value.isBlank() ? null : value;
    }
}
