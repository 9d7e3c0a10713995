package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** warren's own port over HTTPS, with a certificate made by keytool for 127.0.0.1. */
class HttpsIT {

    @Test
    void apiAndHealthAnswerOverHttps(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "warren", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes()));

        try (WarrenProcess warren = WarrenProcess.create(List.of("echo.yaml"), Map.of(
                "warren.http.tls.enabled", "true",
                "warren.http.tls.keystore", "file:" + keystore,
                "warren.http.tls.keystore-password", "changeit"))) {
            warren.launch();
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(keystore)).version(HttpClient.Version.HTTP_1_1).build();
            String https = warren.url("/").replace("http://", "https://");
            Await.until("HTTPS up", Duration.ofSeconds(60), () -> {
                try {
                    return trusting.send(HttpRequest.newBuilder(URI.create(https + "observe/health")).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (java.io.IOException notYet) {
                    return false;
                }
            });
            HttpResponse<String> accepted = trusting.send(HttpRequest.newBuilder(URI.create(https + "api/v1/jobs/echo")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + TestWarren.ADMIN_KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, accepted.statusCode(), accepted.body());

            // a client that does not trust the certificate is refused by TLS itself
            HttpClient strict = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            assertThrows(SSLHandshakeException.class, () -> strict.send(
                    HttpRequest.newBuilder(URI.create(https + "observe/health")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
