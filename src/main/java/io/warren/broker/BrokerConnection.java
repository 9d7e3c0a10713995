package io.warren.broker;

import javax.net.ssl.SSLContext;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The one connection factory warren publishes and consumes through, with publisher confirms
 * (CORRELATED: the only type Camel's producer waits on with confirm=enabled).
 */
public final class BrokerConnection {

    private BrokerConnection() {
    }

    public static CachingConnectionFactory factory(BrokerAddress address, SSLContext tls, int channelCacheSize) {
        CachingConnectionFactory factory = new CachingConnectionFactory(address.clientFactory(tls));
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setChannelCacheSize(channelCacheSize);
        factory.setConnectionNameStrategy(f -> "warren");
        return factory;
    }
}
