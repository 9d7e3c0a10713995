import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load against a running warren: N jobs of a type over HTTP at concurrency C, through the single-job
 * endpoint or the batch endpoint. Prints accepted/s, end-to-end processed/s (until the instance's
 * succeeded counter for the type grew by N), accept latency percentiles and errors, as one "key=value" line.
 *
 *   java bench/Throughput.java --url http://127.0.0.1:8080 --key wk_... --type bench --jobs 10000 --concurrency 8 [--batch 100] [--allow-errors]
 *
 * --rate R paces the requests at R per second (request i is due i / R s after the start) instead
 * of sending each as soon as a client is free; latency then counts from when a request was due.
 * --warmup-seconds S (with --rate): the requests due in the first S seconds count as jobs, not in
 * the latency.
 *
 * --url may list several instances (comma-separated): requests go to them in turn. --ids FILE
 * writes the id of every accepted job; --wait false skips waiting for them to be processed (the
 * drills count that from the ledger instead).
 *
 * Exit status: 1 when a request failed or was refused (an error answer, no answer, or a batch
 * answer that accepted fewer jobs than it was sent), unless --allow-errors is given (the drills that
 * take an instance away expect refusals); 1 also when, waiting, not every accepted job was processed
 * within 600 s, or when the requests were still running after an hour. Otherwise 0. The result line
 * is printed either way; why it failed goes to stderr.
 */
public class Throughput {

    public static void main(String[] args) throws Exception {
        String[] urls = arg(args, "--url", "http://127.0.0.1:8080").split(",");
        String url = urls[0];
        String idsFile = arg(args, "--ids", null);
        boolean wait = Boolean.parseBoolean(arg(args, "--wait", "true"));
        String key = arg(args, "--key", System.getenv().getOrDefault("WARREN_KEY", ""));
        String type = arg(args, "--type", "bench");
        int jobs = Integer.parseInt(arg(args, "--jobs", "10000"));
        int concurrency = Integer.parseInt(arg(args, "--concurrency", "8"));
        int batch = Integer.parseInt(arg(args, "--batch", "0"));
        int size = Integer.parseInt(arg(args, "--size", "100"));
        double rate = Double.parseDouble(arg(args, "--rate", "0"));
        // paced: the requests due in the first S seconds are sent and counted, their latency is not
        // (this program's own JIT warm-up: cold, it fell behind a rate warren kept, and every later
        // request counted the backlog)
        long unmeasured = rate > 0 ? (long) (rate * Double.parseDouble(arg(args, "--warmup-seconds", "0"))) : 0;
        boolean allowErrors = Arrays.asList(args).contains("--allow-errors");

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String payload = "{\"pad\":\"" + "x".repeat(Math.max(0, size - 10)) + "\"}";
        long before = succeeded(http, url, key, type);
        int requests = batch > 0 ? (jobs + batch - 1) / batch : jobs;
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>(requests));
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        for (int t = 0; t < concurrency; t++) {
            pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                    int items = batch > 0 ? Math.min(batch, jobs - i * batch) : 1;
                    String body = batch > 0 ? "[" + String.join(",", Collections.nCopies(items, payload)) + "]" : payload;
                    String target = urls[i % urls.length];
                    HttpRequest request = HttpRequest.newBuilder(URI.create(target + "/api/v1/jobs/" + type + (batch > 0 ? "/batch" : "")))
                            .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    long sent = System.nanoTime();
                    if (rate > 0) {
                        // paced: request i is due at started + i / rate, and its latency counts from
                        // then, so a request sent late because warren was slow counts against warren
                        // (no coordinated omission)
                        long due = started + (long) (i * 1e9 / rate);
                        for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                            LockSupport.parkNanos(due - now);
                        }
                        sent = due;
                    }
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (i >= unmeasured) {
                            latencies.add(System.nanoTime() - sent);
                        }
                        if (response.statusCode() == 202 || (batch > 0 && response.statusCode() == 200)) {
                            List<String> got = jobIds(response.body());
                            accepted.addAndGet(got.size());
                            ids.addAll(got);
                            if (got.size() != items) {
                                errors.incrementAndGet(); // items rejected in a 200 batch answer were not accepted either
                            }
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        boolean finished = pool.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS);
        if (!finished) {
            pool.shutdownNow();
        }
        double acceptSeconds = (System.nanoTime() - started) / 1e9;
        if (idsFile != null) {
            synchronized (ids) { // a synchronized list is iterated under its own lock
                Files.write(Path.of(idsFile), ids);
            }
        }
        while (wait && succeeded(http, url, key, type) - before < accepted.get()) {
            if ((System.nanoTime() - started) / 1e9 > 600) {
                break;
            }
            Thread.sleep(100);
        }
        double endToEndSeconds = (System.nanoTime() - started) / 1e9;
        long processed = wait ? succeeded(http, url, key, type) - before : -1;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("mode=%s jobs=%d concurrency=%d %saccepted=%d errors=%d processed=%s accepted_per_s=%.0f "
                        + "end_to_end_per_s=%s p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f%n",
                batch > 0 ? "batch" + batch : "single", jobs, concurrency, rate > 0 ? String.format("paced_per_s=%.0f ", rate) : "", accepted.get(), errors.get(),
                wait ? String.valueOf(processed) : "n/a", accepted.get() / acceptSeconds,
                wait ? String.format("%.0f", processed / endToEndSeconds) : "n/a",
                pct(sorted, 50), pct(sorted, 95), pct(sorted, 99));

        // a load that went wrong must not pass for a measurement: the scripts run under set -e
        int status = 0;
        if (!finished) {
            System.err.println("load: requests were still running after an hour");
            status = 1;
        }
        if (errors.get() > 0 && !allowErrors) {
            System.err.printf("load: %d of %d requests failed or were refused (pass --allow-errors where that is expected)%n",
                    errors.get(), requests);
            status = 1;
        }
        if (wait && processed < accepted.get()) {
            System.err.printf("load: only %d of %d accepted jobs were processed within 600 s%n", processed, accepted.get());
            status = 1;
        }
        System.exit(status);
    }

    /** The instance's own counter (Prometheus), cheap to poll; the stats endpoint counts the whole jobs table. */
    private static long succeeded(HttpClient http, String url, String key, String type) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(url + "/observe/metrics")).header("Authorization", "Bearer " + key)
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^warren_jobs_succeeded_total\\{[^}]*type=\"" + Pattern.quote(type) + "\"[^}]*\\} ([0-9.E]+)$")
                .matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    private static final Pattern JOB_ID = Pattern.compile("\"jobId\"\\s*:\\s*\"([^\"]+)\"");

    /** The ids of the jobs an answer accepted (one for a single job, one per accepted item of a batch). */
    private static List<String> jobIds(String answer) {
        List<String> found = new ArrayList<>();
        Matcher m = JOB_ID.matcher(answer);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static double pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1e6;
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
