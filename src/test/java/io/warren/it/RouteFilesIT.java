package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Route files as a Camel user writes them: the examples/ folder run as shipped, and job types
 * written into the routes folder while warren runs. Broker: see {@link TestBroker}. The HTTP
 * service the notify example calls is a JDK HttpServer in this test: it answers 500 to a job's first
 * {@code failTimes} calls, then 200, or always {@code status} when the job says so.
 */
class RouteFilesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "It's a Secret to Everybody";

    private static HttpServer service;
    private static final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    @TempDir
    static Path feed;
    private static InProcessWarren warren;
    private static Amqp amqp;

    @BeforeAll
    static void start() throws Exception {
        service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/hook", exchange -> {
            JsonNode job = JSON.readTree(exchange.getRequestBody());
            int call = calls.computeIfAbsent(exchange.getRequestHeaders().getFirst("X-Job-Id"), id -> new AtomicInteger()).incrementAndGet();
            int status = job.has("status") ? job.get("status").asInt() : call <= job.path("failTimes").asInt(0) ? 500 : 200;
            byte[] answer = ("call " + call).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        service.start();
        warren = InProcessWarren.start(List.of("probe.yaml", "echo.yaml"), Map.of(
                "notify.url", "http://127.0.0.1:" + service.getAddress().getPort() + "/hook",
                "feeder.dir", feed.toString(),
                "github.webhook-secret", SECRET));
        for (String example : List.of("http-call.yaml", "route-by-content.yaml", "file-feeder.yaml", "github-push.yaml")) {
            Files.copy(Path.of("examples", example), warren.routes().resolve(example));
        }
        Await.until("examples live", Duration.ofSeconds(30), () -> warren.post("notify", "{}").statusCode() == 202
                && warren.post("orders", "{}").statusCode() == 202);
        amqp = new Amqp(TestBroker.url());
    }

    @AfterAll
    static void stop() throws Exception {
        service.stop(0);
        if (warren == null) {
            return;
        }
        for (String type : List.of("notify", "orders", "calm", "quorate", "ttl", "gone", "github-push")) {
            for (String queue : List.of(warren.workQueue(type), warren.deadQueue(type))) {
                amqp.deleteQueue(queue);
            }
        }
        amqp.deleteQueue(warren.prefix() + ".shop.orders");
        amqp.deleteExchange(warren.prefix() + ".shop");
        warren.close();
        amqp.close();
    }

    /** examples/github-push.yaml: a signed push event becomes a job, once; anything else is answered in JSON. */
    @Test
    void theWebhookTurnsASignedPushIntoAJob() throws Exception {
        String push = """
                {"ref": "refs/heads/main", "after": "abc123", "repository": {"full_name": "acme/shop"},
                 "pusher": {"name": "ada"}, "commits": [{"id": "1"}, {"id": "2"}]}""";
        HttpResponse<String> accepted = hook(push, signature(push), "push", "delivery-1");
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = JSON.readTree(accepted.body()).get("jobId").asText();
        assertTrue(accepted.headers().firstValue("X-Hub-Signature-256").isEmpty(), "request headers are not echoed");
        JsonNode job = awaitFinished(id);
        assertEquals("SUCCEEDED", job.get("status").asText());
        assertTrue(warren.log().contains("\"repository\":\"acme/shop\",\"ref\":\"refs/heads/main\",\"after\":\"abc123\","
                + "\"pusher\":\"ada\",\"commits\":2"), "the job carries what the handler needs");
        assertEquals(id, JSON.readTree(hook(push, signature(push), "push", "delivery-1").body()).get("jobId").asText(),
                "GitHub's redelivery is the same job");

        assertEquals(204, hook("{}", signature("{}"), "ping", "delivery-2").statusCode());
        HttpResponse<String> forged = hook(push, signature(push + " "), "push", "delivery-3");
        assertEquals(401, forged.statusCode());
        assertEquals("bad_signature", JSON.readTree(forged.body()).get("error").get("code").asText());
        HttpResponse<String> garbage = hook("not json", signature("not json"), "push", "delivery-4");
        assertEquals(400, garbage.statusCode(), garbage.body());
        assertEquals("malformed_json", JSON.readTree(garbage.body()).get("error").get("code").asText());

        JsonNode document = JSON.readTree(warren.send("GET", "/api/v1/openapi-endpoints.json", null, TestWarren.NO_AUTH, "").body());
        assertEquals("signed", document.get("paths").get("/hooks/github").get("post").get("x-warren-access").asText());
    }

    /** An endpoint of a route file needs the role it names; a plain platform-http route needs admin. */
    @Test
    void endpointsOfRouteFilesAreBehindTheGuard() throws Exception {
        Files.writeString(warren.routes().resolve("endpoints.yaml"), """
                - route:
                    id: orders-in
                    from:
                      uri: warren:http:/intake/orders
                      parameters:
                        role: submit
                      steps:
                        - to: warren:submit:orders
                        - setBody:
                            simple: '{"jobId": "${header.WarrenJobId}"}'
                - route:
                    id: raw-hello
                    from:
                      uri: platform-http:/raw/hello
                      steps:
                        - setBody:
                            constant: hello
                """);
        Await.until("endpoints live", Duration.ofSeconds(20),
                () -> warren.send("POST", "/intake/orders", "{}").statusCode() == 200);
        assertEquals(401, warren.send("POST", "/intake/orders", "{}", TestWarren.NO_AUTH, "").statusCode());
        HttpResponse<String> bad = warren.send("POST", "/intake/orders", "[1]");
        assertEquals(400, bad.statusCode(), bad.body());
        assertEquals("not_an_object", JSON.readTree(bad.body()).get("error").get("code").asText());
        assertEquals(401, warren.send("GET", "/raw/hello", null, TestWarren.NO_AUTH, "").statusCode());
        assertEquals("hello", warren.send("GET", "/raw/hello", null).body());
        assertTrue(warren.log().contains("Route raw-hello serves /raw/hello outside warren:http (platform-http or the REST DSL), so it needs the admin role"));
        Files.delete(warren.routes().resolve("endpoints.yaml"));
    }

    private static HttpResponse<String> hook(String body, String signature, String event, String delivery) throws Exception {
        return warren.send("POST", "/hooks/github", body, TestWarren.NO_AUTH, "", "X-Hub-Signature-256", signature,
                "X-GitHub-Event", event, "X-GitHub-Delivery", delivery);
    }

    private static String signature(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Concurrency 1, a job in a 4 s back-off: the healthy job behind it runs meanwhile. */
    @Test
    void aJobInBackOffHoldsNoWorker() throws Exception {
        live("calm", """
                - route:
                    id: work-calm
                    from:
                      uri: warren:work:calm
                      parameters:
                        concurrency: 1
                        prefetch: 1
                        retries: 1
                        initialDelayMillis: 4000
                      steps:
                        - to: warren:handle:probeHandler
                """);
        String failing = jobId(warren.post("calm", "{\"failAttempts\": 1}"));
        String healthy = jobId(warren.post("calm", "{}"));

        Await.until("healthy job done", Duration.ofSeconds(20), () -> probe().count("DONE", healthy) == 1);
        assertEquals(1, probe().count("START", failing), "the healthy job ran during the failing job's back-off");
        assertEquals("RETRYING", job(failing).get("status").asText());

        Await.until("failing job done on its retry", Duration.ofSeconds(20), () -> probe().count("DONE", failing) == 1);
        JsonNode done = job(failing);
        assertEquals("SUCCEEDED", done.get("status").asText());
        assertEquals(2, done.get("attempts").asInt());
        assertEquals(List.of("ATTEMPT_STARTED 1", "ATTEMPT_FAILED 1", "ATTEMPT_STARTED 2", "SUCCEEDED 2"), attempts(failing));
        JsonNode queues = JSON.readTree(warren.get("/api/v1/queues").body()).get("queues");
        assertTrue(queues.toString().contains("\"name\":\"" + warren.workQueue("calm") + ".retry.4000ms\",\"kind\":\"retry\""),
                queues.toString());
    }

    /** examples/http-call.yaml: a 503 is retried, a 404 fails for good, and the answer is the result. */
    @Test
    void theHttpJobTypeRetriesFailsPermanentlyOnA4xxAndKeepsTheAnswer() throws Exception {
        String recovers = jobId(warren.post("notify", "{\"failTimes\": 1}"));
        String refused = jobId(warren.post("notify", "{\"status\": 404}"));

        JsonNode done = awaitFinished(recovers);
        assertEquals("SUCCEEDED", done.get("status").asText(), done.toString());
        assertEquals(2, done.get("attempts").asInt(), done.toString());
        assertEquals("200 call 2", done.get("result").asText());
        assertEquals(List.of("ATTEMPT_STARTED 1", "ATTEMPT_FAILED 1", "ATTEMPT_STARTED 2", "SUCCEEDED 2"), attempts(recovers));

        JsonNode dead = awaitFinished(refused);
        assertEquals("DEAD", dead.get("status").asText(), dead.toString());
        assertEquals(1, dead.get("attempts").asInt(), "a 4xx is not retried");
        assertEquals("notify.url refused the job: 404 Not Found", dead.get("lastError").get("message").asText());
        assertEquals(1, calls.get(refused).get());
    }

    /** examples/route-by-content.yaml: a choice on the payload picks the handler. */
    @Test
    void contentBasedRoutingPicksTheHandler() throws Exception {
        String express = jobId(warren.post("orders", "{\"priority\": \"express\", \"item\": 1}"));
        String standard = jobId(warren.post("orders", "{\"item\": 2}"));
        assertEquals("express", awaitFinished(express).get("result").asText());
        assertEquals("standard", awaitFinished(standard).get("result").asText());
    }

    /** examples/file-feeder.yaml: files become jobs once each; a refused file is logged, counted and kept. */
    @Test
    void theFeederSubmitsFilesAndNeverLosesARefusedOne() throws Exception {
        Files.writeString(feed.resolve("one.json"), "{\"from\": \"file\"}");
        Files.writeString(feed.resolve("bad.json"), "[1, 2]");
        Await.until("good file done", Duration.ofSeconds(20), () -> Files.exists(feed.resolve(".done/one.json")));
        Await.until("bad file kept aside", Duration.ofSeconds(20), () -> Files.exists(feed.resolve(".rejected/bad.json")));
        String id = between(warren.log(), "File one.json is job ", "\n");
        assertEquals("SUCCEEDED", awaitFinished(id).get("status").asText());
        assertTrue(warren.log().contains("File bad.json refused: Job of type 'echo' rejected (not_an_object)"), "logged");
        String metrics = warren.get("/observe/metrics").body();
        assertTrue(metrics.contains("warren_jobs_submit_rejected_total{reason=\"not_an_object\",type=\"echo\"} 1.0"), metrics);

        // the same file again (a restart before it was moved): the same job, not a second one
        Files.writeString(feed.resolve("one.json"), "{\"from\": \"file\"}");
        Await.until("read again", Duration.ofSeconds(20), () -> warren.log().split("File one.json is job " + id, -1).length == 3);
    }

    /** Queue options from the route, checked before anything is declared; a bad file is refused whole, the rest runs. */
    @Test
    void queueOptionsAreDeclaredAndMistakesAreNamed() throws Exception {
        live("quorate", """
                - route:
                    id: work-quorate
                    from:
                      uri: warren:work:quorate
                      parameters:
                        queueType: quorum
                        deliveryLimit: 5
                        singleActiveConsumer: true
                      steps:
                        - to: warren:handle:probeHandler
                """);
        Map<String, Object> args = Map.of("x-queue-type", "quorum", "x-delivery-limit", 5, "x-single-active-consumer", true,
                "x-dead-letter-exchange", warren.deadExchange(), "x-dead-letter-routing-key", "quorate");
        assertNull(amqp.declare(warren.workQueue("quorate"), true, args), "declared with the route's options");
        String quorumJob = jobId(warren.post("quorate", "{}"));
        Await.until("runs on the quorum queue", Duration.ofSeconds(20), () -> probe().count("DONE", quorumJob) == 1);

        // other names than warren's: the intake publishes to the type's exchange, the worker consumes its
        // queue (a classic queue of version 2, RabbitMQ 3.10+)
        String queue = warren.prefix() + ".shop.orders";
        live("named", workRoute("named", "queue=" + queue + "&exchange=" + warren.prefix() + ".shop&queueVersion=2"));
        String namedJob = jobId(warren.post("named", "{}"));
        Await.until("runs from its own queue", Duration.ofSeconds(20), () -> probe().count("DONE", namedJob) == 1);
        assertNull(amqp.declare(queue, true, Map.of("x-dead-letter-exchange", warren.deadExchange(),
                "x-dead-letter-routing-key", "named", "x-queue-version", 2)));
        assertTrue(warren.get("/api/v1/queues").body().contains("{\"name\":\"" + queue + "\",\"kind\":\"work\""));

        String typo = refused("typo.yaml", "warren:work:typo?queueTyp=quorum");
        assertTrue(typo.contains("queueTyp"), typo);
        String value = refused("value.yaml", "warren:work:value?queueType=quorm&deliveryLimit=3");
        assertTrue(value.contains("queueType must be classic or quorum, not 'quorm'") && value.contains("deliveryLimit needs"), value);
        assertEquals(202, warren.post("echo", "{}").statusCode(), "the other types keep running");

        // a changed argument on a queue that exists: the edit is refused, the previous version runs on
        live("ttl", workRoute("ttl", "messageTtl=60000"));
        Files.writeString(warren.routes().resolve("ttl.yaml"), workRoute("ttl", "messageTtl=30000"));
        Await.until("edit refused", Duration.ofSeconds(20), () -> invalidFile("ttl.yaml") != null);
        String changed = invalidFile("ttl.yaml");
        assertTrue(changed.contains("x-message-ttl") && changed.contains("put the option back as it was"), changed);
        assertEquals(202, warren.post("ttl", "{}").statusCode());
    }

    /** Deleting a type's file stops its consumer and unbinds its queue; the queue and what it holds stay. */
    @Test
    void deletingATypeFileUnbindsButKeepsItsQueue() throws Exception {
        live("gone", workRoute("gone", "retries=0"));
        Files.delete(warren.routes().resolve("gone.yaml"));
        Await.until("type gone and its queue unbound", Duration.ofSeconds(20),
                () -> warren.log().contains("Job type 'gone' is gone: its work queue " + warren.workQueue("gone")));
        assertEquals(404, warren.post("gone", "{}").statusCode());
        amqp.publish(warren.jobsExchange(), "gone", new AMQP.BasicProperties.Builder().messageId("late").build(), "{}");
        assertNotNull(amqp.declare(warren.workQueue("gone"), true, null), "the queue is still there, with its arguments");
        assertEquals(0, amqp.depth(warren.workQueue("gone")), "no longer bound: nothing reaches it");
        assertEquals(0, amqp.consumers(warren.workQueue("gone")));
    }

    private static String workRoute(String type, String options) {
        return """
                - route:
                    id: work-%s
                    from:
                      uri: "warren:work:%s?%s"
                      steps:
                        - to: warren:handle:probeHandler
                """.formatted(type, type, options);
    }

    private static void live(String type, String route) throws Exception {
        Files.writeString(warren.routes().resolve(type + ".yaml"), route);
        Await.until("type '" + type + "' live", Duration.ofSeconds(20), () -> warren.post(type, "{}").statusCode() == 202);
    }

    private static String refused(String file, String uri) throws Exception {
        Files.writeString(warren.routes().resolve(file), workRoute("x", "a=b").replace("\"warren:work:x?a=b\"", "\"" + uri + "\"")
                .replace("work-x", "work-" + file.replace(".yaml", "")));
        Await.until(file + " refused", Duration.ofSeconds(20), () -> invalidFile(file) != null);
        assertTrue(warren.log().contains("Job type file " + file + " is invalid"), "logged");
        return invalidFile(file);
    }

    private static String invalidFile(String file) throws Exception {
        for (JsonNode invalid : JSON.readTree(warren.get("/api/v1/types").body()).get("invalidFiles")) {
            if (invalid.get("file").asText().equals(file)) {
                return invalid.get("error").asText();
            }
        }
        return null;
    }

    private static JsonNode job(String id) throws Exception {
        return JSON.readTree(warren.get("/api/v1/jobs/" + id).body());
    }

    private static JsonNode awaitFinished(String id) throws Exception {
        Await.until("job " + id + " finished", Duration.ofSeconds(30),
                () -> List.of("SUCCEEDED", "DEAD").contains(job(id).get("status").asText()));
        return job(id);
    }

    /** The job's attempt events, as "EVENT attempt". */
    private static List<String> attempts(String id) throws Exception {
        List<String> events = new ArrayList<>();
        for (JsonNode event : JSON.readTree(warren.get("/api/v1/jobs/" + id + "/history").body()).get("events")) {
            String kind = event.get("event").asText();
            if (kind.startsWith("ATTEMPT") || kind.equals("SUCCEEDED") || kind.equals("DEAD_LETTERED")) {
                events.add(kind + " " + event.path("attempt").asInt());
            }
        }
        return events;
    }

    private static String jobId(HttpResponse<String> response) throws Exception {
        assertEquals(202, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("jobId").asText();
    }

    private static ProbeLog probe() throws Exception {
        return ProbeLog.read(warren.data());
    }

    private static String between(String text, String before, String after) {
        int start = text.indexOf(before) + before.length();
        return text.substring(start, text.indexOf(after, start)).trim();
    }
}
