package io.warren.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * warren running as a child JVM, the way an operator runs it, for the tests that need one: it
 * can be killed with SIGKILL or stopped with SIGTERM and started again, and several can run.
 */
public final class WarrenProcess extends TestWarren {

    private final Map<String, String> environment = new LinkedHashMap<>();
    private Process process;
    private Path log;

    private WarrenProcess(Map<String, String> extra, Path routes, Path data, String prefix, int port, boolean owner) {
        super(extra, routes, data, prefix, port, owner);
    }

    /** Starts warren with the given route files: names under routes/ (the shipped ones) or under it-routes/. */
    public static WarrenProcess start(List<String> routeFiles, Map<String, String> extra) throws Exception {
        WarrenProcess warren = create(routeFiles, extra);
        warren.launch();
        warren.awaitReady();
        return warren;
    }

    /** Prepares folders and names without starting: {@link #launch()} starts it. */
    public static WarrenProcess create(List<String> routeFiles, Map<String, String> extra) throws Exception {
        Setup setup = Setup.of(routeFiles, extra);
        return new WarrenProcess(setup.settings(), setup.routes(), setup.data(), setup.prefix(), setup.port(), true);
    }

    /**
     * Another instance of the same warren (same broker, queues and database; its own port, id and
     * folders), not started. Closing it leaves the shared queues and database to the first one.
     */
    public WarrenProcess sibling() throws Exception {
        Path ownRoutes = Files.createTempDirectory("warren-routes");
        try (var files = Files.list(routes)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, ownRoutes.resolve(file.getFileName()));
            }
        }
        Map<String, String> settings = new LinkedHashMap<>(properties);
        int siblingPort = freePort();
        settings.put("warren.http.port", String.valueOf(siblingPort));
        settings.put("warren.instance.id", "i" + siblingPort);
        settings.remove("warren.routes.dir");
        settings.remove("warren.data.dir");
        return new WarrenProcess(settings, ownRoutes, Files.createTempDirectory("warren-data"), prefix, siblingPort, false);
    }

    /** Starts the same warren again (same port, folders and queues) after it stopped. */
    public void restart() throws Exception {
        if (process.isAlive()) {
            throw new IllegalStateException("still running");
        }
        launch();
        awaitReady();
    }

    /** Settings for the next launch. */
    public WarrenProcess override(Map<String, String> settings) {
        properties.putAll(settings);
        return this;
    }

    /** Environment variables for the next launch. */
    public WarrenProcess env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** Starts it without waiting for it to be ready: for start-up failures. */
    public void launch() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.warren.Warren");
        log = Files.createTempFile(data, "warren-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("WARREN_"));
        builder.environment().putAll(environment);
        builder.directory(data.toFile());
        process = builder.start();
    }

    @Override
    protected boolean running() {
        return process.isAlive();
    }

    @Override
    protected String exitStatus() {
        return "exited with " + process.exitValue();
    }

    @Override
    public String log() throws IOException {
        return log == null ? "" : Files.readString(log);
    }

    public void kill9() throws Exception {
        rememberQueues();
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as `docker stop` or systemd sends it. */
    public void sigterm() {
        rememberQueues();
        process.destroy();
    }

    public int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("warren did not exit within " + timeout + ":\n" + log());
        }
        return process.exitValue();
    }

    /** Into target/warren-logs/PREFIX-INSTANCE/, each launch's log, for a failed test's reader. */
    @Override
    protected void keepLog() {
        try (var logs = Files.newDirectoryStream(data, "warren-*.log")) {
            Path kept = Files.createDirectories(Path.of("target", "warren-logs", prefix + "-" + instanceId()));
            for (Path launch : logs) {
                Files.copy(launch, kept.resolve(launch.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("warren's logs in " + data + " were not kept: " + e);
        }
    }

    @Override
    protected void stop() throws Exception {
        if (process != null && process.isAlive()) {
            kill9();
        }
    }
}
