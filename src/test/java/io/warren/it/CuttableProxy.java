package io.warren.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder between warren and the broker that a test can cut and restore: a broker outage
 * as warren sees it, without stopping the broker other tests share.
 */
public final class CuttableProxy implements AutoCloseable {

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile ServerSocket server;
    private Thread acceptor;
    private volatile boolean stalled;

    public CuttableProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.port = WarrenProcess.freePort();
    }

    public int port() {
        return port;
    }

    /** Connections forwarded so far. */
    public int connections() {
        return connections.get();
    }

    /** A proxy in front of the test broker, listening. */
    public static CuttableProxy forBroker() throws IOException {
        java.net.URI broker = java.net.URI.create(TestBroker.url());
        CuttableProxy proxy = new CuttableProxy(broker.getHost(), broker.getPort());
        proxy.restore();
        return proxy;
    }

    /** The test broker's URL, through this proxy (which listens on 127.0.0.1). */
    public String brokerUrl() {
        java.net.URI broker = java.net.URI.create(TestBroker.url());
        return TestBroker.url().replace(broker.getHost() + ":" + broker.getPort() + "/", "127.0.0.1:" + port + "/");
    }

    public synchronized void restore() throws IOException {
        if (server != null) {
            return;
        }
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress("127.0.0.1", port));
        ServerSocket listening = server;
        Thread accept = new Thread(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket upstream = new Socket(targetHost, targetPort);
                    connections.incrementAndGet();
                    open.add(client);
                    open.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException closed) {
                    return;
                }
            }
        }, "proxy-accept");
        accept.setDaemon(true);
        accept.start();
        acceptor = accept;
    }

    /** Refuses new connections and drops the open ones, as a dead broker would. */
    public synchronized void cut() throws IOException {
        if (server != null) {
            server.close();
            server = null;
            awaitAcceptorExit();
        }
        for (Socket socket : open) {
            socket.close();
        }
        open.clear();
        stalled = false; // after the close: what a stalled pump held is dropped, never sent
    }

    /**
     * A close only signals the thread blocked in accept(); the listening socket lives until that
     * call returns, and a restore() before then fails with "Address already in use".
     */
    private void awaitAcceptorExit() throws IOException {
        try {
            acceptor.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the proxy closed", e);
        }
        if (acceptor.isAlive()) {
            throw new IOException("the proxy's accept thread did not stop");
        }
    }

    /**
     * Keeps the connections open but forwards nothing either way, as a broker that hangs would:
     * a publish is taken by the socket and never confirmed. {@link #cut} drops what is held.
     */
    public void stall() {
        stalled = true;
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    while (stalled && !to.isClosed()) {
                        Thread.sleep(10);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException ignored) {
                // the other side closed, or the proxy was cut
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        cut();
    }
}
