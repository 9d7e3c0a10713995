package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow and greedy clients on raw sockets: idle connections, stalled headers and trickled bodies are
 * closed; past the connection cap a request gets 503. The limits are set short here; the bound each
 * read waits for is generous (30 s), so these check what happens, not how fast.
 */
class HttpLimitsIT {

    private static InProcessWarren warren;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        warren = InProcessWarren.start(List.of("echo.yaml"), Map.of(
                "warren.http.idle-timeout-seconds", "5",
                "warren.http.request-timeout-seconds", "8",
                "warren.http.max-connections", "5"));
        port = java.net.URI.create(warren.url("/")).getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        warren.close();
    }

    @Test
    void anIdleConnectionIsClosed() throws Exception {
        try (Socket socket = connect()) {
            assertEquals(-1, socket.getInputStream().read(), "closed by warren, nothing sent");
        }
    }

    @Test
    void headersThatStopComingAreClosed() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "POST /api/v1/jobs/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl");
            assertEquals(-1, socket.getInputStream().read(), "closed by warren mid-headers");
        }
    }

    @Test
    void aBodyTrickledByteByByteGets408AndIsClosed() throws Exception {
        try (Socket socket = connect()) {
            send(socket, "POST /api/v1/jobs/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestWarren.ADMIN_KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
            // one byte a second: never idle for 5 s, never done
            String response = null;
            for (int i = 0; i < 30 && response == null; i++) {
                Thread.sleep(1000);
                try {
                    send(socket, " ");
                } catch (IOException closed) {
                    break;
                }
                response = available(socket);
            }
            if (response == null) {
                response = readAll(socket);
            }
            assertTrue(response.startsWith("HTTP/1.1 408"), response);
            assertTrue(response.contains("\"request_timeout\""), response);
        }
    }

    @Test
    void pastTheConnectionCapARequestGets503() throws Exception {
        List<Socket> held = new ArrayList<>();
        String request = "GET /api/v1/types HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestWarren.ADMIN_KEY + "\r\n\r\n";
        try {
            // five keep-alive connections, each served once and kept open
            for (int i = 0; i < 5; i++) {
                Socket socket = connect();
                held.add(socket);
                send(socket, request);
                String served = readAll(socket);
                assertTrue(served.startsWith("HTTP/1.1 200"), served);
            }
            try (Socket socket = connect()) {
                send(socket, request);
                String response = readAll(socket);
                assertTrue(response.startsWith("HTTP/1.1 503"), response);
                assertTrue(response.contains("\"server_busy\""), response);
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        Await.until("served again once they are gone", java.time.Duration.ofSeconds(30),
                () -> warren.get("/api/v1/types").statusCode() == 200);
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** What has arrived so far, or null when nothing has. */
    private static String available(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        if (in.available() == 0) {
            return null;
        }
        byte[] bytes = new byte[in.available()];
        int n = in.read(bytes);
        return new String(bytes, 0, Math.max(n, 0), StandardCharsets.UTF_8) + readAll(socket);
    }

    /** One whole response (headers, then Content-Length bytes or the last chunk), or what arrived before warren closed. */
    private static String readAll(Socket socket) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; !complete(read.toString(StandardCharsets.UTF_8)) && (n = socket.getInputStream().read(buffer)) > 0; ) {
                read.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException stopped) {
            // what arrived is the answer
        }
        return read.toString(StandardCharsets.UTF_8);
    }

    private static boolean complete(String response) {
        int headersEnd = response.indexOf("\r\n\r\n");
        if (headersEnd < 0) {
            return false;
        }
        if (response.substring(0, headersEnd).toLowerCase().contains("transfer-encoding: chunked")) {
            return response.endsWith("\r\n0\r\n\r\n");
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(response.substring(0, headersEnd));
        return length.find() && response.length() - headersEnd - 4 >= Integer.parseInt(length.group(1));
    }
}
