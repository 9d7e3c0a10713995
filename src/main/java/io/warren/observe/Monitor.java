package io.warren.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;

/**
 * {@code java -jar warren.jar monitor [--once | --watch SECONDS] [--url URL]}: the state of a
 * running warren in a terminal, for servers without a browser (seed 001's card monitor): each queue
 * coloured by depth, jobs by status per type, the workers of each type. The API key comes from
 * WARREN_KEY.
 */
public final class Monitor {

    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String RED = "\u001b[31m";
    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Monitor() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        String url = "http://localhost:8080";
        int watch = 0;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--once" -> watch = 0;
                case "--watch" -> watch = i + 1 < args.length ? Integer.parseInt(args[++i]) : 3;
                case "--url" -> url = i + 1 < args.length ? args[++i].replaceAll("/+$", "") : url;
                default -> {
                    err.println("usage: java -jar warren.jar monitor [--once | --watch SECONDS] [--url http://host:8080]"
                            + " (API key in WARREN_KEY)");
                    return 2;
                }
            }
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        String key = System.getenv("WARREN_KEY");
        do {
            String screen;
            int code = 0;
            try {
                screen = render(get(http, url, "/api/v1/queues", key), get(http, url, "/api/v1/stats", key),
                        get(http, url, "/api/v1/types", key), url);
            } catch (Exception e) {
                screen = RED + "warren at " + url + " does not answer: " + e.getMessage() + RESET + "\n";
                code = 1;
            }
            if (watch > 0) {
                out.print("\u001b[H\u001b[2J"); // clear the screen, then draw in one go: no flicker
            }
            out.print(screen);
            out.flush();
            if (watch == 0) {
                return code;
            }
            Thread.sleep(watch * 1000L);
        } while (true);
    }

    static String render(JsonNode queues, JsonNode stats, JsonNode types, String url) {
        StringBuilder s = new StringBuilder();
        s.append(BOLD).append("warren at ").append(url).append("  ").append(LocalTime.now().truncatedTo(ChronoUnit.SECONDS))
                .append(RESET).append("\n\n");
        s.append(BOLD).append(String.format("%-40s %8s %8s %9s %9s%n", "QUEUE", "READY", "UNACKED", "CONSUMERS", "IN/s")).append(RESET);
        for (JsonNode q : queues.path("queues")) {
            long ready = q.path("ready").asLong();
            String colour = !q.path("exists").asBoolean(true) ? RED : ready >= 1000 ? RED : ready >= 100 ? YELLOW : GREEN;
            s.append(colour).append(String.format("%-40s %8s %8s %9s %9s%n", q.path("name").asText(), ready,
                    text(q.path("unacked")), q.path("consumers").asLong(), text(q.path("publishRate")))).append(RESET);
        }
        s.append("\n").append(BOLD).append(String.format("%-20s %-8s %s%n", "TYPE", "WORKERS", "JOBS BY STATUS")).append(RESET);
        JsonNode counts = stats.path("jobsByTypeAndStatus");
        for (JsonNode t : types.path("types")) {
            String type = t.path("type").asText();
            StringBuilder byStatus = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = counts.path(type).fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                byStatus.append(e.getKey()).append("=").append(e.getValue().asLong()).append("  ");
            }
            String workers = t.path("workers").asText();
            s.append(String.format("%-20s %s%-8s%s %s%n", type, workers.equals("RUNNING") ? GREEN : YELLOW, workers, RESET, byStatus));
        }
        return s.toString();
    }

    private static String text(JsonNode value) {
        return value.isNull() || value.isMissingNode() ? "-" : value.asText();
    }

    private static JsonNode get(HttpClient http, String url, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5));
        if (key != null && !key.isBlank()) {
            request.header("Authorization", "Bearer " + key);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
