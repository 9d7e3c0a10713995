package io.warren.it;

import static io.warren.it.TestWarren.NO_AUTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.warren.security.Secrets;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Authenticated by default: credentials, roles, rate limits, the first admin key, the credentials command. */
class SecurityIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void credentialsAndRolesDecideWhoMayDoWhat() throws Exception {
        String submitKey = "wk_submit-only-key-000000000001";
        String readKey = "wk_read-only-key-00000000000001";
        String expiredKey = "wk_expired-key-0000000000000001";
        try (WarrenProcess warren = WarrenProcess.create(List.of("echo.yaml"), Map.of(
                "warren.security.api-keys", "test-admin:admin:" + Secrets.sha256(TestWarren.ADMIN_KEY)
                        + ",ci:submit:" + Secrets.sha256(submitKey) + ",dash:read:" + Secrets.sha256(readKey)))) {
            Files.writeString(warren.data().resolve("credentials"),
                    "key old read sha256:" + Secrets.sha256(expiredKey) + " expires=2020-01-01T00:00:00Z\n"
                    + "user ops submit,read " + Secrets.hashPassword("correct horse battery".toCharArray()) + "\n");
            warren.launch();
            warren.awaitReady();

            assertError(warren.post("echo", "{}", NO_AUTH, "x"), 401, "unauthorized");
            assertError(warren.send("GET", "/api/v1/jobs", null, NO_AUTH, "x"), 401, "unauthorized");
            assertTrue(warren.post("echo", "{}", NO_AUTH, "x").headers().firstValue("WWW-Authenticate").isPresent());
            assertError(warren.post("echo", "{}", "Authorization", "Bearer wk_wrong"), 401, "unauthorized");
            assertError(warren.post("echo", "{}", "X-API-Key", "wk_wrong"), 401, "unauthorized");
            assertError(warren.post("echo", "{}", "Authorization", "Token abc"), 401, "unauthorized");
            assertError(warren.post("echo", "{}", "Authorization", "Basic !!notbase64"), 401, "unauthorized");
            assertError(warren.post("echo", "{}", "Authorization", "Bearer " + expiredKey), 401, "unauthorized");
            assertTrue(warren.post("echo", "{}", "Authorization", "Bearer " + expiredKey).body().contains("expired"));

            // two different credentials in one request: ambiguous, refused whole (issue 12)
            assertError(warren.post("echo", "{}", "X-API-Key", submitKey, "Authorization", "Bearer " + TestWarren.ADMIN_KEY),
                    400, "conflicting_credentials");
            assertError(warren.post("echo", "{}", "Authorization", "Bearer " + submitKey, "Authorization", "Bearer " + readKey),
                    400, "conflicting_credentials");
            assertEquals(202, warren.post("echo", "{}", "X-API-Key", submitKey, "Authorization", "Bearer " + submitKey).statusCode(),
                    "the same key twice is one credential");

            // submit may create jobs but not read them; read may read but not create
            HttpResponse<String> submitted = warren.post("echo", "{}", "X-API-Key", submitKey);
            assertEquals(202, submitted.statusCode(), submitted.body());
            String id = JSON.readTree(submitted.body()).get("jobId").asText();
            assertError(warren.send("GET", "/api/v1/jobs/" + id, null, "X-API-Key", submitKey), 403, "forbidden");
            assertEquals(200, warren.send("GET", "/api/v1/jobs/" + id, null, "Authorization", "Bearer " + readKey).statusCode());
            assertError(warren.post("echo", "{}", "Authorization", "Bearer " + readKey), 403, "forbidden");
            // anything else under /api (admin operations) needs admin, even for paths not written yet
            assertError(warren.send("DELETE", "/api/v1/queues/x", null, "Authorization", "Bearer " + readKey), 403, "forbidden");

            // a basic-auth user with submit and read
            String basic = "Basic " + Base64.getEncoder().encodeToString("ops:correct horse battery".getBytes(StandardCharsets.UTF_8));
            assertEquals(202, warren.post("echo", "{\"by\": \"ops\"}", "Authorization", basic).statusCode());
            assertEquals(200, warren.send("GET", "/api/v1/jobs/" + id, null, "Authorization", basic).statusCode());
            String wrongPassword = "Basic " + Base64.getEncoder().encodeToString("ops:wrong".getBytes(StandardCharsets.UTF_8));
            assertError(warren.post("echo", "{}", "Authorization", wrongPassword), 401, "unauthorized");

            // health and (by default) metrics are open
            assertEquals(200, warren.send("GET", "/observe/health", null, NO_AUTH, "x").statusCode());
            assertEquals(200, warren.send("GET", "/observe/metrics", null, NO_AUTH, "x").statusCode());

            // a key added to the credentials file while warren runs works at once
            String added = "wk_added-while-running-0000000001";
            Files.writeString(warren.data().resolve("credentials"), "key late submit sha256:" + Secrets.sha256(added) + "\n",
                    java.nio.file.StandardOpenOption.APPEND);
            Await.until("the added key works", Duration.ofSeconds(20),
                    () -> warren.post("echo", "{}", "X-API-Key", added).statusCode() == 202);
            assertFalse(warren.log().contains(submitKey) || warren.log().contains(readKey), "keys never logged");

            // one edit revokes the added key and breaks a line: the revocation holds (401, not 500),
            // the other entries keep working, the bad line is named in the log
            String broken = "key typo submit sha256:not-a-hash\n";
            Files.writeString(warren.data().resolve("credentials"), broken
                    + "user ops submit,read " + Secrets.hashPassword("correct horse battery".toCharArray()) + "\n");
            Await.until("the revoked key is refused", Duration.ofSeconds(10),
                    () -> warren.post("echo", "{}", "X-API-Key", added).statusCode() == 401);
            assertEquals(202, warren.post("echo", "{}", "X-API-Key", submitKey).statusCode(), "configured keys unaffected");
            assertEquals(202, warren.post("echo", "{}", "Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString("ops:correct horse battery".getBytes())).statusCode(), "the file's good lines still work");
            Await.until("the bad line is logged", Duration.ofSeconds(20),
                    () -> warren.log().contains("credentials line 1 is ignored"));
        }
    }

    @Test
    void failedLoginsAreThrottledPerAddressAndUnknownUsersCostAPasswordCheck() throws Exception {
        try (WarrenProcess warren = WarrenProcess.create(List.of("echo.yaml"), Map.of("warren.security.failed-logins-per-minute", "5"))) {
            Files.writeString(warren.data().resolve("credentials"),
                    "user ops submit,read " + Secrets.hashPassword("correct horse battery".toCharArray()) + "\n");
            warren.launch();
            warren.awaitReady();
            // a minute's window: the sixth failure within it is refused whatever it sends
            for (int i = 0; i < 5; i++) {
                assertError(warren.post("echo", "{}", "Authorization", basic("ops", "guess-" + i)), 401, "unauthorized");
            }
            HttpResponse<String> throttled = warren.post("echo", "{}", "Authorization", basic("ops", "correct horse battery"));
            assertError(throttled, 429, "too_many_failed_logins");
            assertTrue(Long.parseLong(throttled.headers().firstValue("Retry-After").orElseThrow()) > 0);
            assertError(warren.post("echo", "{}"), 429, "too_many_failed_logins");
            assertTrue(warren.log().contains("Failed logins from 127.0.0.1 reached the limit"), "logged");
            assertFalse(warren.log().contains("guess-"), "no secret logged");
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void rateLimitPerCredentialAnswers429WithRetryAfter() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(List.of("echo.yaml"), Map.of(
                // one token per 20 s: six requests meet the empty bucket however slow the machine is
                "warren.security.rate-limit-per-second", "0.05", "warren.security.rate-limit-burst", "3"))) {
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<String> limited = null;
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = warren.post("echo", "{}");
                statuses.add(response.statusCode());
                if (response.statusCode() == 429) {
                    limited = response;
                }
            }
            assertTrue(statuses.subList(0, 3).stream().allMatch(s -> s == 202), statuses.toString());
            assertTrue(statuses.contains(429), statuses.toString());
            assertError(limited, 429, "rate_limited");
            assertTrue(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow()) >= 1);
        }
    }

    @Test
    void aHeadCountsOnceAgainstTheRateLimit() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(List.of("echo.yaml"), Map.of(
                "warren.security.rate-limit-per-second", "0.05", "warren.security.rate-limit-burst", "3"))) {
            // served as its GET by a reroute, which runs the guard again: the bucket paid twice per HEAD
            for (int i = 0; i < 3; i++) {
                assertEquals(200, warren.send("HEAD", "/api/v1/types", null).statusCode(), "HEAD " + (i + 1) + " of the burst of 3");
            }
            assertEquals(429, warren.send("HEAD", "/api/v1/types", null).statusCode(), "the fourth is over the burst");
        }
    }

    @Test
    void firstStartWithoutCredentialsMakesOneAdminKeyShownOnce() throws Exception {
        try (WarrenProcess warren = WarrenProcess.create(List.of("echo.yaml"), Map.of("warren.security.api-keys", ""))) {
            warren.launch();
            warren.awaitReady();
            Matcher printed = Pattern.compile("wk_[A-Za-z0-9_-]{43}").matcher(warren.log());
            assertTrue(printed.find(), "the generated key is printed");
            String key = printed.group();
            String stored = Files.readString(warren.data().resolve("credentials"));
            assertFalse(stored.contains(key), "only the hash is stored");
            assertTrue(stored.contains(Secrets.sha256(key)));
            assertEquals(202, warren.post("echo", "{}", "Authorization", "Bearer " + key).statusCode());

            warren.kill9();
            warren.restart();
            assertFalse(Pattern.compile("wk_[A-Za-z0-9_-]{43}").matcher(warren.log()).find(), "not printed again");
            assertEquals(202, warren.post("echo", "{}", "Authorization", "Bearer " + key).statusCode());
        }
    }

    @Test
    void credentialsCommandAddsAKeyARunningWarrenAccepts() throws Exception {
        try (WarrenProcess warren = WarrenProcess.start(List.of("echo.yaml"), Map.of())) {
            Path file = warren.data().resolve("credentials");
            ProcessBuilder command = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "io.warren.Warren", "credentials", "add-key", "ci", "submit");
            command.environment().put("WARREN_SECURITY_CREDENTIALS_FILE", file.toString());
            Process process = command.start();
            String key = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, process.waitFor());
            assertTrue(key.startsWith("wk_"), key);
            assertFalse(Files.readString(file).contains(key));
            Await.until("the new key works", Duration.ofSeconds(10),
                    () -> warren.post("echo", "{}", "Authorization", "Bearer " + key).statusCode() == 202);
            assertEquals(403, warren.send("GET", "/api/v1/jobs", null, "Authorization", "Bearer " + key).statusCode());
        }
    }

    static void assertError(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertEquals(code, JSON.readTree(response.body()).get("error").get("code").asText(), response.body());
    }
}
