package io.warren.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;

/**
 * A request body's bytes, for every step that reads one (the intake, warren:web's signature check,
 * warren:submit). Camel's stream caching holds an HTTP body in memory as a stream cache, and Camel's
 * conversion to bytes (a bulk converter for any InputStream, asked before any registered for the
 * cache's class) reads it through a BufferedInputStream and a 16 KB transfer buffer: about 25 KB
 * of garbage a request (docs/benchmarks.md, twenty-ninth round). An in-memory cache knows what it
 * holds: one copy here, and the cache is left at its start for the steps after.
 */
public final class RequestBody {

    private RequestBody() {
    }

    /** The body as bytes; anything but an in-memory stream cache as Camel converts it (null when it cannot). */
    public static byte[] bytes(Message message) {
        if (message.getBody() instanceof StreamCache cache && cache.inMemory() && cache instanceof InputStream in) {
            try {
                byte[] bytes = new byte[in.available()];
                boolean whole = in.readNBytes(bytes, 0, bytes.length) == bytes.length && in.read() == -1;
                cache.reset();
                if (whole) {
                    return bytes;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e); // not from memory
            }
        }
        return message.getBody(byte[].class);
    }
}
