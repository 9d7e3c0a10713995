package io.warren.component;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code to: warren:append:<file>}: appends each message's body (bytes as they are; text as UTF-8)
 * to the file, kept open, in one write to the operating system: when the step returns, the data
 * survives a kill -9 of warren (not a power loss: nothing is synced), and writes of several
 * consumers do not interleave. The audit route's; the file component opened and closed the file
 * for every line. Before each write the file at the path is checked to be the one open (a stat,
 * not an open): one moved away or deleted (log rotation) is created again, and a path that cannot
 * be written any more fails the step.
 */
public class AppendEndpoint extends DefaultEndpoint {

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

    private static final class Appender extends DefaultProducer {

        private final Path file;
        private FileChannel out;
        private Object openKey;

        Appender(AppendEndpoint endpoint, Path file) {
            super(endpoint);
            this.file = file;
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

        @Override
        protected void doStop() throws Exception {
            synchronized (this) {
                if (out != null) {
                    out.close();
                    out = null;
                }
            }
            super.doStop();
        }

        @Override
        public void process(Exchange exchange) throws Exception {
            ByteBuffer data = ByteBuffer.wrap(exchange.getMessage().getMandatoryBody(byte[].class));
            synchronized (this) {
                // moved away, deleted, or closed under a write (an interrupted one closes the channel)
                if (out != null && (!out.isOpen() || !Objects.equals(key(), openKey))) {
                    out.close();
                    out = null;
                }
                if (out == null) {
                    open(); // at the first write, so that a path that cannot be written fails the step, not warren's start
                }
                while (data.hasRemaining()) {
                    out.write(data);
                }
            }
        }
    }
}
