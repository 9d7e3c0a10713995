package io.warren.broker;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory.AddressShuffleMode;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The connection factory warren consumes through, with publisher confirms (CORRELATED: the only
 * type Camel's producer waits on with confirm=enabled). Publishing goes through its publisher
 * connection factory (same settings, a connection of its own): a broker alarm blocks only the
 * connections that publish, so the consumers keep acking.
 *
 * <p>Camel's consumers use Spring's DirectMessageListenerContainer, which runs every listener on
 * the connection's consumer threads. Left to the RabbitMQ client, that is a fixed pool of two
 * threads per core for all queues together, so on a small machine four jobs ran at once whatever
 * the types' concurrency said. The pool here has a thread for each consumer that needs one.
 *
 * <p>With several nodes (a cluster), each connection attempt tries them in a random order, so
 * instances spread over the nodes and one that loses its node reconnects to another.
 */
public final class BrokerConnection {

    private BrokerConnection() {
    }

    public static CachingConnectionFactory factory(BrokerAddress address, SSLContext tls, int channelCacheSize,
                                                   int consumerThreads) {
        CachingConnectionFactory factory = new CachingConnectionFactory(address.clientFactory(tls));
        factory.setExecutor(consumerPool(consumerThreads));
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setChannelCacheSize(channelCacheSize);
        factory.setConnectionNameStrategy(f -> "warren");
        if (address.nodes() != null) {
            factory.setAddresses(address.nodes());
            factory.setAddressShuffleMode(AddressShuffleMode.RANDOM);
        }
        return factory;
    }

    /** Up to the given number of daemon threads, started when consumers need them and ended when idle. */
    private static ExecutorService consumerPool(int threads) {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "warren-consumer-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
