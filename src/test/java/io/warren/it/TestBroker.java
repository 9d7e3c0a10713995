package io.warren.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The RabbitMQ every broker test uses, found once per test run: a Testcontainers RabbitMQ where a
 * Docker engine runs; otherwise the broker in WARREN_TEST_RABBITMQ_URL; otherwise the one on
 * 127.0.0.1:5672. With none of them the tests fail, saying how to get one. The choice is printed.
 * WARREN_TEST_RABBITMQ_IMAGE names another image for Testcontainers, taken as a stand-in for the
 * official one (bin/container-test: a local image of Debian's RabbitMQ, served by podman).
 */
public final class TestBroker {

    private static String url;

    private TestBroker() {
    }

    public static synchronized String url() {
        if (url == null) {
            url = locate();
        }
        return url;
    }

    private static String locate() {
        String given = System.getenv("WARREN_TEST_RABBITMQ_URL");
        if (given != null && !given.isBlank()) {
            System.out.println("[warren tests] RabbitMQ from WARREN_TEST_RABBITMQ_URL: " + mask(given));
            return given;
        }
        if (dockerAvailable()) {
            String image = System.getenv().getOrDefault("WARREN_TEST_RABBITMQ_IMAGE", "rabbitmq:3.13-management");
            RabbitMQContainer container = new RabbitMQContainer(
                    DockerImageName.parse(image).asCompatibleSubstituteFor("rabbitmq"));
            container.start();
            String amqp = "amqp://guest:guest@" + container.getHost() + ":" + container.getAmqpPort() + "/";
            System.out.println("[warren tests] RabbitMQ from Testcontainers (" + image + ", container "
                    + container.getContainerId().substring(0, 12) + "): " + mask(amqp));
            return amqp;
        }
        String local = "amqp://guest:guest@127.0.0.1:5672/";
        if (reachable(URI.create(local))) {
            System.out.println("[warren tests] RabbitMQ on this machine (no Docker engine): " + mask(local));
            return local;
        }
        throw new IllegalStateException("No RabbitMQ for the tests: no Docker engine for Testcontainers, "
                + "WARREN_TEST_RABBITMQ_URL is not set and nothing answers on 127.0.0.1:5672. Start one "
                + "(apt-get install rabbitmq-server, or bash .ci/run which installs it) or set WARREN_TEST_RABBITMQ_URL.");
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    private static boolean reachable(URI uri) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String mask(String url) {
        return url.replaceAll("(://[^:/@]*):[^@/]*@", "$1:****@");
    }
}
