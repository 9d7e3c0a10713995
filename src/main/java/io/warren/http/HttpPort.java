package io.warren.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Fails start-up when the HTTP port is taken: Vert.x only logs that bind failure and Camel would
 * run on without its API.
 */
public final class HttpPort {

    private HttpPort() {
    }

    public static void requireFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IllegalStateException("HTTP port " + host + ":" + port + " is not free (" + e.getMessage()
                    + "); set WARREN_HTTP_PORT to another port");
        }
    }
}
