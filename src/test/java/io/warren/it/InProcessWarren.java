package io.warren.it;

import io.warren.Warren;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * warren in the test's own JVM: the same camel-main application {@code java -jar warren.jar}
 * runs (settings, wiring, route files, routes folder), started and stopped by the test, its
 * CamelContext at hand (for NotifyBuilder), its log captured. Starts in about a second instead
 * of a JVM's several.
 */
public final class InProcessWarren extends TestWarren {

    static {
        // the repository's application.properties (the built-in defaults) is no operator's file
        System.setProperty("warren.config", "target/no-operator-settings.properties");
    }

    private final StringWriter log = new StringWriter();
    private Appender appender;
    private Main main;
    private Thread thread;
    private volatile Throwable failure;

    private InProcessWarren(Map<String, String> extra, Path routes, Path data, String prefix, int port) {
        super(extra, routes, data, prefix, port, true);
    }

    /** Starts warren with the given route files: names under routes/ (the shipped ones) or under it-routes/. */
    public static InProcessWarren start(List<String> routeFiles, Map<String, String> extra) throws Exception {
        Setup setup = Setup.of(routeFiles, extra);
        InProcessWarren warren = new InProcessWarren(setup.settings(), setup.routes(), setup.data(), setup.prefix(), setup.port());
        try {
            warren.launch();
            warren.awaitReady();
        } catch (Exception | Error failure) {
            warren.close();
            throw failure;
        }
        return warren;
    }

    private void launch() throws Exception {
        captureLog();
        main = Warren.newMain();
        properties.forEach(main::addOverrideProperty);
        // as java -jar runs it: Main.run() starts, calls the listeners, and returns once stopped
        thread = new Thread(() -> {
            try {
                main.run();
            } catch (Throwable e) {
                failure = e;
            }
        }, "warren-main-" + port);
        thread.start();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    @Override
    protected boolean running() {
        return thread.isAlive();
    }

    @Override
    protected String exitStatus() {
        return "stopped: " + failure;
    }

    @Override
    public String log() {
        synchronized (log) {
            return log.toString();
        }
    }

    @Override
    protected void stop() throws Exception {
        try {
            if (thread != null && thread.isAlive()) {
                main.completed();
                thread.join(60_000);
            }
        } finally {
            if (appender != null) {
                LoggerContext logging = (LoggerContext) LogManager.getContext(false);
                logging.getConfiguration().getRootLogger().removeAppender(appender.getName());
                appender.stop();
                logging.updateLoggers();
            }
        }
    }

    /** Everything logged while this warren runs, as warren's console would show it. */
    private void captureLog() {
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        Configuration config = logging.getConfiguration();
        PatternLayout layout = PatternLayout.newBuilder().withConfiguration(config)
                .withPattern("%d{ISO8601} %-5level [%t] %c{1} - %msg%n%throwable").build();
        appender = WriterAppender.newBuilder().setName("warren-" + prefix).setTarget(new SynchronizedWriter(log))
                .setLayout(layout).build();
        appender.start();
        config.getRootLogger().addAppender(appender, null, null);
        logging.updateLoggers();
    }

    /** The log is read while warren's threads write it. */
    private static final class SynchronizedWriter extends java.io.Writer {

        private final StringWriter target;

        SynchronizedWriter(StringWriter target) {
            this.target = target;
        }

        @Override
        public void write(char[] buffer, int offset, int length) {
            synchronized (target) {
                target.write(buffer, offset, length);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
