package io.warren.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.converter.stream.ByteArrayInputStreamCache;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Pure logic: the bytes of a body as Camel holds it, no server. */
class RequestBodyTest {

    private static final CamelContext camel = new DefaultCamelContext();

    @AfterAll
    static void stop() throws Exception {
        camel.close();
    }

    @Test
    void anInMemoryStreamCacheIsReadWholeAndLeftAtItsStart() throws Exception {
        byte[] json = "{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        Message message = new DefaultExchange(camel).getMessage();
        message.setBody(new ByteArrayInputStreamCache(new ByteArrayInputStream(json)));

        assertArrayEquals(json, RequestBody.bytes(message));
        assertArrayEquals(json, RequestBody.bytes(message), "read again by a later step");
        assertArrayEquals(json, ((InputStream) message.getBody()).readAllBytes(), "the cache itself is left at its start");
    }

    @Test
    void anyOtherBodyIsConvertedByCamel() {
        Message message = new DefaultExchange(camel).getMessage();
        message.setBody("{\"n\":2}");
        assertArrayEquals("{\"n\":2}".getBytes(StandardCharsets.UTF_8), RequestBody.bytes(message));

        byte[] bytes = {1, 2, 3};
        message.setBody(bytes);
        assertSame(bytes, RequestBody.bytes(message));

        message.setBody(null);
        assertNull(RequestBody.bytes(message));
    }
}
