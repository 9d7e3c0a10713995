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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A warren for a test: its own HTTP port, routes folder, data folder, queue names (a random
 * prefix, so test classes never share queues) and database, against the test broker. It runs in
 * the test's JVM ({@link InProcessWarren}) or as a child JVM ({@link WarrenProcess}) where the
 * test kills it, stops it or runs several.
 */
public abstract class TestWarren implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    /** Every test warren knows this admin key (by its hash); requests carry it unless a test sends its own credential. */
    public static final String ADMIN_KEY = "wk_test-admin-key-0123456789";
    /** A header a test passes to send no credential at all. */
    public static final String NO_AUTH = "X-Test-No-Auth";

    protected final Map<String, String> properties;
    protected final Path routes;
    protected final Path data;
    protected final String prefix;
    protected final int port;
    private final boolean owner;
    /** Its queues as listed before its test killed or stopped it (it cannot list them at close then). */
    private final java.util.Set<String> listedQueues = new java.util.LinkedHashSet<>();

    protected TestWarren(Map<String, String> extra, Path routes, Path data, String prefix, int port, boolean owner) {
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

    /** What a new test warren gets: a routes folder with these files, a data folder, a prefix, a database. */
    protected record Setup(Map<String, String> settings, Path routes, Path data, String prefix, int port) {

        static Setup of(List<String> routeFiles, Map<String, String> extra) throws Exception {
            Path routes = Files.createTempDirectory("warren-routes");
            for (String file : routeFiles) {
                Files.copy(source(file), routes.resolve(file));
            }
            String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
            Map<String, String> settings = new LinkedHashMap<>(TestDatabase.settingsFor(prefix));
            settings.putAll(extra);
            return new Setup(settings, routes, Files.createTempDirectory("warren-data"), prefix, freePort());
        }
    }

    /** A route file: a name under routes/ (the shipped ones) or under src/test/resources/it-routes/. */
    public static Path source(String file) {
        Path shipped = Path.of("routes", file);
        return Files.exists(shipped) ? shipped : Path.of("src/test/resources/it-routes", file);
    }

    /** What warren wrote to its log since it started. */
    public abstract String log() throws IOException;

    /** False once warren is known to have stopped (a start-up failure). */
    protected abstract boolean running();

    /** Why it is not running, for the failure message. */
    protected abstract String exitStatus();

    public void awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!running()) {
                throw new IllegalStateException("warren " + exitStatus() + ":\n" + log());
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

    public String instanceId() {
        return "i" + port;
    }

    public String setting(String key) {
        return properties.get(key);
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

    /** Stops warren, however it runs. */
    protected abstract void stop() throws Exception;

    /** Stops warren and removes what it left: its queues, exchanges, database (its first instance) and folders. */
    @Override
    public void close() throws Exception {
        try {
            stopAndRemoveBrokerAndDatabase();
        } finally {
            keepLog();
            Folders.delete(routes);
            Folders.delete(data);
        }
    }

    /** Keeps what warren logged outside its data folder, which close removes (a warren in the test's JVM logs to the test's output: nothing to keep). */
    protected void keepLog() {
    }

    private void stopAndRemoveBrokerAndDatabase() throws Exception {
        listedQueues.addAll(ownQueues());
        stop();
        try (Amqp amqp = new Amqp(TestBroker.url())) {
            for (String queue : listedQueues) {
                amqp.deleteQueue(queue);
            }
            amqp.deleteQueue(prefix + ".commands." + instanceId());
            if (!owner) {
                return;
            }
            amqp.deleteExchange(prefix + ".commands");
            for (String type : List.of("echo", "flaky", "probe", "late", "later", "slowretry")) {
                amqp.deleteQueue(workQueue(type));
                amqp.deleteQueue(deadQueue(type));
                // the default retry tiers, for a warren that could not list them (stopped before, or a
                // type its test removed): without this CI left about 30 of them on the broker a run
                for (int millis = 1000; millis <= 8000; millis *= 2) {
                    amqp.deleteQueue(workQueue(type) + ".retry." + millis + "ms");
                }
            }
            amqp.deleteQueue(auditQueue());
            amqp.deleteQueue(auditQueue() + ".dead");
            amqp.deleteExchange(jobsExchange());
            amqp.deleteExchange(deadExchange());
        }
        TestDatabase.drop(prefix);
    }

    /**
     * Notes the queues warren lists as its own, to delete them at close: before a test kills or
     * stops it. (Not at every start: the listing is an API call, and takes a token of a test's
     * rate limit.)
     */
    protected void rememberQueues() {
        listedQueues.addAll(ownQueues());
    }

    /** The queues warren lists as its own (retry queues among them), while it still answers. */
    private List<String> ownQueues() {
        List<String> queues = new java.util.ArrayList<>();
        try {
            HttpResponse<String> response = get("/api/v1/queues");
            if (response.statusCode() == 200) {
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).path("queues")
                        .forEach(queue -> queues.add(queue.path("name").asText()));
            }
        } catch (Exception stoppedAlready) {
            // the fixed names below are deleted all the same
        }
        return queues;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
