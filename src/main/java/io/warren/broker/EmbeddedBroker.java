package io.warren.broker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.SystemConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development broker: Apache Qpid Broker-J in warren's own process, speaking AMQP 0-9-1 on
 * 127.0.0.1 only, keeping messages in a Derby store in the data folder (so a job answered 202
 * survives a restart). For trying warren and for local development, never for production.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final SystemLauncher launcher;
    private final int port;

    private EmbeddedBroker(SystemLauncher launcher, int port) {
        this.launcher = launcher;
        this.port = port;
    }

    public static EmbeddedBroker start(Path workDir, int port) throws Exception {
        Files.createDirectories(workDir);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        // Qpid reports start-up errors only to a listener
        SystemLauncher launcher = new SystemLauncher(new SystemLauncherListener.DefaultSystemLauncherListener() {
            @Override
            public void errorOnStartup(RuntimeException e) {
                failure.set(e);
            }
        });
        Map<String, Object> attributes = new HashMap<>();
        attributes.put(SystemConfig.TYPE, "JSON");
        attributes.put("storePath", workDir.resolve("broker.json").toString());
        attributes.put(SystemConfig.INITIAL_CONFIGURATION_LOCATION,
                Objects.requireNonNull(EmbeddedBroker.class.getResource("/embedded-broker.json")).toExternalForm());
        attributes.put(SystemConfig.STARTUP_LOGGED_TO_SYSTEM_OUT, false);
        attributes.put(SystemConfig.CONTEXT, Map.of(
                SystemConfig.QPID_WORK_DIR, workDir.toAbsolutePath().toString(),
                "warren.embedded.port", String.valueOf(port)));
        try {
            launcher.startup(attributes);
        } catch (Exception e) {
            throw new IllegalStateException("The embedded broker did not start: " + e.getMessage(), e);
        }
        if (failure.get() != null) {
            launcher.shutdown();
            throw new IllegalStateException("The embedded broker did not start: " + failure.get().getMessage(), failure.get());
        }
        LOG.warn("""

                ==========================================================================
                 warren is using its EMBEDDED DEVELOPMENT BROKER (Apache Qpid Broker-J)
                 on 127.0.0.1:{}, messages kept in {}.
                 For trying warren only: production needs RabbitMQ (WARREN_RABBITMQ_URL,
                 WARREN_BROKER=external). See README "Zero-setup first run".
                ==========================================================================""", port, workDir);
        return new EmbeddedBroker(launcher, port);
    }

    /** The URL warren connects to it with. */
    public String url() {
        return "amqp://guest:guest@127.0.0.1:" + port + "/";
    }

    @Override
    public void close() {
        launcher.shutdown();
    }
}
