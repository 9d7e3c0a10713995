package io.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.ConnectionFactory;
import org.junit.jupiter.api.Test;

class BrokerAddressTest {

    @Test
    void printsWithoutThePassword() {
        BrokerAddress address = BrokerAddress.parse("amqps://app:p%40ss:word@rabbit.example:5671/prod");
        assertEquals("amqps://app:****@rabbit.example:5671/prod", address.toString());
    }

    @Test
    void masksPasswordsInsideAnyText() {
        assertEquals("failed: amqp://u:****@h/ refused", BrokerAddress.mask("failed: amqp://u:secret@h/ refused"));
        assertEquals("amqp://h:5672/", BrokerAddress.mask("amqp://h:5672/"), "a port is not a password");
    }

    @Test
    void trailingSlashOrNoPathMeansTheDefaultVhost() {
        assertEquals("/", BrokerAddress.parse("amqp://guest:guest@localhost:5672/").clientFactory().getVirtualHost());
        assertEquals("/", BrokerAddress.parse("amqp://guest:guest@localhost:5672").clientFactory().getVirtualHost());
        assertEquals("/", BrokerAddress.parse("amqp://guest:guest@localhost/%2F").clientFactory().getVirtualHost());
        assertEquals("jobs", BrokerAddress.parse("amqp://guest:guest@localhost/jobs").clientFactory().getVirtualHost());
    }

    @Test
    void credentialsAndPortComeFromTheUrl() {
        ConnectionFactory factory = BrokerAddress.parse("amqp://app:pw@rabbit:5999/").clientFactory();
        assertEquals("app", factory.getUsername());
        assertEquals("pw", factory.getPassword());
        assertEquals("rabbit", factory.getHost());
        assertEquals(5999, factory.getPort());
        assertFalse(factory.isAutomaticRecoveryEnabled(), "Spring AMQP does the recovery");
    }

    @Test
    void refusesWhatIsNotAnAmqpUrlWithoutEchoingThePassword() {
        IllegalArgumentException wrongScheme = assertThrows(IllegalArgumentException.class,
                () -> BrokerAddress.parse("http://u:topsecret@h/"));
        assertFalse(wrongScheme.getMessage().contains("topsecret"), wrongScheme.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BrokerAddress.parse(""));
        assertThrows(IllegalArgumentException.class, () -> BrokerAddress.parse("amqp:///novhost"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BrokerAddress.parse("amqp://u:pw@h/ bad"))
                .getMessage().contains("****"));
    }
}
