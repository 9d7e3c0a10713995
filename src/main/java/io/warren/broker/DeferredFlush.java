package io.warren.broker;

import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.AMQConnection;
import com.rabbitmq.client.impl.Frame;
import com.rabbitmq.client.impl.FrameHandler;
import com.rabbitmq.client.impl.FrameHandlerFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection's socket, written once for a run of publishes instead of once per message.
 *
 * <p>The RabbitMQ client writes each publish's frames into the connection's buffered stream and
 * flushes it at once: a write system call per message, and a TCP segment for the broker to read.
 * While a thread has a {@link Run} open, the flushes of its own publishes (and only those: an
 * RPC such as opening a channel still flushes, or it would wait for an answer to a request never
 * sent) are put off until the run ends, so a batch of 100 jobs leaves in a few writes of the
 * stream's 8 KB buffer. Nothing waits on a deferred flush but the run's own thread: another
 * thread's flush (its publish, a heartbeat) sends everything buffered, this run's frames too, and
 * the run sends what is left before its thread waits for a confirm or for a place to publish.
 */
final class DeferredFlush implements FrameHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeferredFlush.class);
    private static final ThreadLocal<Run> RUN = new ThreadLocal<>();

    private final FrameHandler socket;
    private volatile AMQConnection connection;

    private DeferredFlush(FrameHandler socket) {
        this.socket = socket;
    }

    /** A client factory whose connections defer flushes within a run. */
    static ConnectionFactory connectionFactory() {
        return new ConnectionFactory() {
            @Override
            protected synchronized FrameHandlerFactory createFrameHandlerFactory() throws IOException {
                FrameHandlerFactory sockets = super.createFrameHandlerFactory();
                return (address, connectionName) -> new DeferredFlush(sockets.create(address, connectionName));
            }
        };
    }

    /** Opens a run on this thread; a run opened inside another is part of it, and sends what is put off when it closes too. */
    static Run run() {
        if (RUN.get() != null) {
            return new Run(false);
        }
        Run run = new Run(true);
        RUN.set(run);
        return run;
    }

    /** Sends what this thread's run has put off, keeping the run open. */
    static void sendNow() {
        Run run = RUN.get();
        if (run != null) {
            run.send();
        }
    }

    /** Runs a publish (no RPC) whose flush this thread's run may put off. */
    static void publish(Publish publish) throws IOException {
        Run run = RUN.get();
        if (run == null) {
            publish.run();
            return;
        }
        run.publishing = true;
        try {
            publish.run();
        } finally {
            run.publishing = false;
        }
    }

    @Override
    public void flush() throws IOException {
        Run run = RUN.get();
        if (run != null && run.publishing && connection != null) {
            run.unsent.add(this);
        } else {
            socket.flush();
        }
    }

    @Override
    public void initialize(AMQConnection connection) {
        this.connection = connection;
        socket.initialize(connection);
    }

    @Override
    public void writeFrame(Frame frame) throws IOException {
        socket.writeFrame(frame);
    }

    @Override
    public Frame readFrame() throws IOException {
        return socket.readFrame();
    }

    @Override
    public void sendHeader() throws IOException {
        socket.sendHeader();
    }

    @Override
    public void setTimeout(int timeoutMs) throws SocketException {
        socket.setTimeout(timeoutMs);
    }

    @Override
    public int getTimeout() throws SocketException {
        return socket.getTimeout();
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    public InetAddress getAddress() {
        return socket.getAddress();
    }

    @Override
    public int getPort() {
        return socket.getPort();
    }

    /** A thread's run of publishes; closing it sends what they left in the buffer. */
    static final class Run implements AutoCloseable {

        private final boolean outer;
        private final Set<DeferredFlush> unsent = new LinkedHashSet<>();
        private boolean publishing;

        private Run(boolean outer) {
            this.outer = outer;
        }

        private void send() {
            // a copy: an abort below runs the connection's shutdown callbacks, which may publish
            List<DeferredFlush> sockets = List.copyOf(unsent);
            unsent.clear();
            for (DeferredFlush socket : sockets) {
                try {
                    socket.connection.flush();
                } catch (IOException | RuntimeException e) {
                    // the socket is broken; closed now, the channels' unconfirmed messages (this
                    // run's) settle as not confirmed at once instead of at their deadline
                    LOG.warn("Sending a run of publishes failed ({}); closing the broker connection", e.toString());
                    socket.connection.abort(1_000);
                }
            }
        }

        /** Sends what the run put off; the outer run also ends the thread's run. */
        @Override
        public void close() {
            try {
                sendNow();
            } finally {
                if (outer) {
                    RUN.remove();
                }
            }
        }
    }

    @FunctionalInterface
    interface Publish {
        void run() throws IOException;
    }
}
