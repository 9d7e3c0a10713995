package io.warren.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * warren running as a child JVM, the way an operator runs it: its own HTTP port, routes folder,
 * data folder, queue names (a random prefix, so test classes never share queues) and database,
 * against the test broker. It can be killed with SIGKILL or stopped with SIGTERM and started again.
 */
public final class WarrenProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    /** Every test warren knows this admin key (by its hash); requests carry it unless a test sends its own credential. */
    public static final String ADMIN_KEY = "wk_test-admin-key-0123456789";
    /** A header a test passes to send no credential at all. */
    public static final String NO_AUTH = "X-Test-No-Auth";

    private final Map<String, String> properties;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final Path routes;
    private final Path data;
    private final String prefix;
    private final int port;
    private final boolean owner;
    private Process process;
    private Path log;

    private WarrenProcess(Map<String, String> extra, Path routes, Path data, String prefix, int port, boolean owner) {
        this.routes = routes;
        this.data = data;
        this.prefix = prefix;
        this.port = port;
        this.owner = owner;
        this.properties = new LinkedHashMap<>();
        properties.put("warren.http.port", String.valueOf(port));
        properties.put("warren.http.host", "127.0.0.1");
        properties.put("warren.routes.dir", routes.toString());
        properties.put("warren.data.dir", data.toString());
        properties.put("warren.rabbitmq.url", TestBroker.url());
        properties.put("warren.exchange.jobs", prefix + ".jobs");
        properties.put("warren.exchange.dead", prefix + ".dlx");
        properties.put("warren.queue.audit", prefix + ".audit");
        properties.put("warren.queue.work-prefix", prefix + ".work.");
        properties.put("warren.queue.dead-prefix", prefix + ".dead.");
        properties.put("warren.exchange.commands", prefix + ".commands");
        properties.put("warren.queue.commands-prefix", prefix + ".commands.");
        properties.put("warren.instance.id", "i" + port);
        properties.put("warren.worker.drain-timeout-seconds", "20");
        // tests send many refused credentials from one address; SecurityIT turns the throttle on
        properties.put("warren.security.failed-logins-per-minute", "0");
        properties.put("warren.security.api-keys", "test-admin:admin:" + io.warren.security.Secrets.sha256(ADMIN_KEY));
        properties.putAll(extra);
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
        Path routes = Files.createTempDirectory("warren-routes");
        for (String file : routeFiles) {
            Files.copy(source(file), routes.resolve(file));
        }
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> settings = new LinkedHashMap<>(TestDatabase.settingsFor(prefix));
        settings.putAll(extra);
        return new WarrenProcess(settings, routes, Files.createTempDirectory("warren-data"), prefix, freePort(), true);
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

    public String instanceId() {
        return "i" + port;
    }

    public static Path source(String file) {
        Path shipped = Path.of("routes", file);
        return Files.exists(shipped) ? shipped : Path.of("src/test/resources/it-routes", file);
    }

    /** Starts the same warren again (same port, folders and queues) after it stopped. */
    public void restart() throws Exception {
        if (process.isAlive()) {
            throw new IllegalStateException("still running");
        }
        launch();
        awaitReady();
    }

    public String setting(String key) {
        return properties.get(key);
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

    public void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("warren exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (get("/observe/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("warren did not become ready in 60 s:\n" + log());
    }

    public HttpResponse<String> post(String type, String json, String... headers) throws Exception {
        return send("POST", "/api/v1/jobs/" + type, json, headers);
    }

    public HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null);
    }

    public HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        boolean contentType = false;
        boolean credential = false;
        for (int i = 0; i < headers.length; i += 2) {
            credential |= headers[i].equalsIgnoreCase("Authorization") || headers[i].equalsIgnoreCase("X-API-Key")
                    || headers[i].equals(NO_AUTH);
            // an empty value means: send no such header at all
            if (!headers[i].equals(NO_AUTH) && !headers[i + 1].isEmpty()) {
                request.header(headers[i], headers[i + 1]);
            }
            contentType |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (!credential) {
            request.header("Authorization", "Bearer " + ADMIN_KEY);
        }
        if (body != null && !contentType) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public String workQueue(String type) {
        return prefix + ".work." + type;
    }

    public String deadQueue(String type) {
        return prefix + ".dead." + type;
    }

    public String auditQueue() {
        return prefix + ".audit";
    }

    public String jobsExchange() {
        return prefix + ".jobs";
    }

    public String deadExchange() {
        return prefix + ".dlx";
    }

    public String prefix() {
        return prefix;
    }

    public Path routes() {
        return routes;
    }

    public Path data() {
        return data;
    }

    public String log() throws IOException {
        return log == null ? "" : Files.readString(log);
    }

    public void kill9() throws Exception {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as `docker stop` or systemd sends it. */
    public void sigterm() {
        process.destroy();
    }

    public int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("warren did not exit within " + timeout + ":\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            kill9();
        }
        try (Amqp amqp = new Amqp(TestBroker.url())) {
            amqp.deleteQueue(prefix + ".commands." + instanceId());
            if (!owner) {
                return;
            }
            amqp.deleteExchange(prefix + ".commands");
            for (String type : List.of("echo", "flaky", "probe", "late", "later", "slowretry")) {
                amqp.deleteQueue(workQueue(type));
                amqp.deleteQueue(deadQueue(type));
            }
            amqp.deleteQueue(auditQueue());
            amqp.deleteQueue(auditQueue() + ".dead");
            amqp.deleteExchange(jobsExchange());
            amqp.deleteExchange(deadExchange());
        }
        TestDatabase.drop(prefix);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
