package io.warren.component;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code to: warren:append:<file>}: appends each message's body (bytes as they are; text as UTF-8)
 * to the file, kept open: when the step completes, the data has reached the operating system and
 * survives a kill -9 of warren (not a power loss: nothing is synced). The bodies waiting are
 * written together, in one write, so a line is never split by another's. The audit route's; the
 * file component opened and closed the file for every line, and one write and one stat per line
 * were a tenth of warren's CPU under load. Before each write the file at the path is checked to be
 * the one open (a stat, not an open): one moved away or deleted (log rotation) is created again,
 * and a path that cannot be written any more fails the step.
 */
public class AppendEndpoint extends DefaultEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(AppendEndpoint.class);

    private final Path file;

    AppendEndpoint(String uri, Component component, String file) {
        super(uri, component);
        this.file = Path.of(file);
    }

    @Override
    public Producer createProducer() {
        return new Appender(this, file);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("warren:append:" + file + " writes (to:); it does not consume");
    }

    /**
     * Bodies wait in a queue; one thread writes all that are waiting in one gathering write, then
     * completes their exchanges (which go on from there, on that thread). Under load a write
     * carries many lines, and the file check before it is made once per write, not per line.
     */
    private static final class Appender extends DefaultAsyncProducer {

        private static final int MOST_PER_WRITE = 1_000;
        private static final long STOP_WAIT_SECONDS = 10;

        private record Line(ByteBuffer data, Exchange exchange, AsyncCallback callback) {
        }

        /** Queued by doStop, after every line handed over before it. */
        private static final Line END = new Line(null, null, null);

        private final Path file;
        private final BlockingQueue<Line> waiting = new LinkedBlockingQueue<>();
        private FileChannel out;
        private Object openKey;
        private Thread writer;

        Appender(AppendEndpoint endpoint, Path file) {
            super(endpoint);
            this.file = file;
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            writer = new Thread(this::writeLoop, "warren-append-" + file.getFileName());
            writer.setDaemon(true);
            writer.start();
        }

        /**
         * Lets the lines already handed over be written and their exchanges completed first, for up
         * to {@value #STOP_WAIT_SECONDS} s (the route after a line may be waiting on a broker).
         */
        @Override
        protected void doStop() throws Exception {
            Thread stopping;
            synchronized (this) {
                stopping = writer;
                writer = null;
                if (stopping != null) {
                    waiting.add(END); // not an interrupt: that would close the file under a write
                }
            }
            try {
                if (stopping != null) {
                    stopping.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
                    if (stopping.isAlive()) {
                        LOG.warn("warren:append:{} stops with a write or its route still running; the lines waiting fail", file);
                        failWaiting();
                    }
                }
            } finally {
                super.doStop();
            }
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            ByteBuffer data;
            try {
                data = ByteBuffer.wrap(exchange.getMessage().getMandatoryBody(byte[].class));
            } catch (Exception e) {
                exchange.setException(e);
                callback.done(true);
                return true;
            }
            synchronized (this) {
                if (writer != null) {
                    waiting.add(new Line(data, exchange, callback)); // never after END
                    return false;
                }
            }
            exchange.setException(new IllegalStateException("warren:append:" + file + " is stopped"));
            callback.done(true);
            return true;
        }

        /** Until END; the file is closed and anything left fails when it ends, however it ends. */
        private void writeLoop() {
            List<Line> lines = new ArrayList<>();
            try {
                boolean ended = false;
                while (!ended) {
                    lines.add(waiting.take());
                    waiting.drainTo(lines, MOST_PER_WRITE - lines.size());
                    ended = lines.remove(END);
                    if (!lines.isEmpty()) {
                        write(lines);
                        lines.clear();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                synchronized (this) {
                    writer = null; // later lines are refused, not queued for nobody
                }
                lines.forEach(this::fail);
                failWaiting();
                try {
                    closeFile();
                } catch (IOException e) {
                    LOG.warn("warren:append:{} could not be closed: {}", file, e.getMessage());
                }
            }
        }

        private void failWaiting() {
            List<Line> left = new ArrayList<>();
            waiting.drainTo(left);
            left.stream().filter(line -> line != END).forEach(this::fail);
        }

        private void fail(Line line) {
            line.exchange().setException(new IllegalStateException("warren:append:" + file + " stopped before this line was written"));
            done(line);
        }

        private void done(Line line) {
            try {
                line.callback().done(false); // the rest of the route runs here
            } catch (Throwable e) {
                LOG.error("The route after warren:append:{} failed", file, e); // this thread must go on writing
            }
        }

        /** One write for the lines; a line whose bytes did not all reach the file fails its exchange. */
        private void write(List<Line> lines) {
            ByteBuffer[] data = lines.stream().map(Line::data).toArray(ByteBuffer[]::new);
            Exception failure = null;
            try {
                // moved away or deleted (log rotation), or closed by a failed write
                if (out != null && (!out.isOpen() || !Objects.equals(key(), openKey))) {
                    closeFile();
                }
                if (out == null) {
                    open(); // at the first write, so that a path that cannot be written fails the step, not warren's start
                }
                long left = 0;
                for (ByteBuffer line : data) {
                    left += line.remaining();
                }
                while (left > 0) {
                    left -= out.write(data);
                }
            } catch (Exception e) {
                failure = e;
            } catch (Error e) {
                failure = new IOException("the write failed: " + e, e);
            }
            for (Line line : lines) {
                if (line.data().hasRemaining()) {
                    line.exchange().setException(failure);
                }
                done(line);
            }
        }

        private void open() throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            openKey = key();
        }

        /** The identity of the file now at the path (its inode), null when there is none or it has no key. */
        private Object key() {
            try {
                return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            } catch (IOException gone) {
                return null;
            }
        }

        private void closeFile() throws IOException {
            if (out != null) {
                FileChannel closing = out;
                out = null;
                closing.close();
            }
        }
    }
}
