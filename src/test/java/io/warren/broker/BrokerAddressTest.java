package io.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.ConnectionFactory;
import io.warren.observe.Redact;
import org.junit.jupiter.api.Test;

class BrokerAddressTest {

    @Test
    void printsWithoutThePassword() {
        BrokerAddress address = BrokerAddress.parse("amqps://app:p%40ss:word@rabbit.example:5671/prod");
        assertEquals("amqps://app:****@rabbit.example:5671/prod", address.toString());
    }

    @Test
    void masksPasswordsInsideAnyText() {
        assertEquals("failed: amqp://u:****@h/ refused", Redact.passwords("failed: amqp://u:secret@h/ refused"));
        assertEquals("amqp://h:5672/", Redact.passwords("amqp://h:5672/"), "a port is not a password");
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
    void amqpsVerifiesTheBrokerInsteadOfTrustingEverything() {
        BrokerAddress address = BrokerAddress.parse("amqps://app:pw@rabbit.example:5671/");
        ConnectionFactory factory = address.clientFactory();
        assertTrue(address.isTls());
        assertTrue(factory.isSSL());
        // the client's own amqps default is a trust-everything manager; ours is the JVM's trust store
        assertFalse(factory.getSocketFactory().getClass().getName().contains("TrustEverything"));
        assertFalse(BrokerAddress.parse("amqp://h/").isTls());
        assertEquals(5671, factory.getPort());
        assertEquals("rabbit.example", factory.getHost());
    }

    @Test
    void aPasswordFromAFileReplacesTheUrlsPassword() {
        BrokerAddress address = BrokerAddress.parse("amqp://app:old@rabbit:5672/jobs").withPassword("s3cr:et@/x");
        ConnectionFactory factory = address.clientFactory();
        assertEquals("app", factory.getUsername());
        assertEquals("s3cr:et@/x", factory.getPassword());
        assertEquals("jobs", factory.getVirtualHost());
        assertFalse(address.toString().contains("s3cr"), address.toString());
    }

    @Test
    void masksJdbcPasswordsToo() {
        assertEquals("jdbc:postgresql://h/db?user=u&password=****&ssl=true",
                Redact.passwords("jdbc:postgresql://h/db?user=u&password=hunter2&ssl=true"));
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

    @Test
    void aClustersNodesShareTheFirstUrlsCredentialsAndVhost() {
        BrokerAddress cluster = BrokerAddress.parse("amqp://app:pw@r1:5681/jobs,amqp://r2:5682,amqp://app:pw@r3/jobs");
        assertEquals("r1:5681,r2:5682,r3:5672", cluster.nodes());
        assertEquals("amqp://app:****@r1:5681/jobs,amqp://r2:5682,amqp://app:****@r3/jobs", cluster.toString());
        ConnectionFactory factory = cluster.clientFactory();
        assertEquals("app", factory.getUsername());
        assertEquals("jobs", factory.getVirtualHost());
        assertEquals("r1:5671,r2:5671", BrokerAddress.parse("amqps://app:pw@r1/,amqps://r2").nodes());
        assertEquals(null, BrokerAddress.parse("amqp://app:pw@r1/").nodes(), "a single broker is no list");
    }

    @Test
    void refusesNodesOfAnotherClusterOrAnEmptyEntry() {
        for (String url : new String[] {"amqp://a:pw@r1/,amqps://r2", "amqp://a:pw@r1/,amqp://b:pw@r2/",
                "amqp://a:pw@r1/jobs,amqp://r2/other", "amqp://a:pw@r1/,,amqp://r2"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> BrokerAddress.parse(url), url);
            assertFalse(refused.getMessage().contains(":pw@"), refused.getMessage());
        }
    }
}
