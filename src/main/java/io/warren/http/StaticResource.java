package io.warren.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/** Serves one file from the class path (the dashboard, the OpenAPI document), with its own headers only. */
public class StaticResource implements Processor {

    private final String page;
    private final String contentType;

    public StaticResource(String resource, String contentType) {
        this.contentType = contentType;
        try (InputStream in = Objects.requireNonNull(StaticResource.class.getResourceAsStream(resource), resource)) {
            page = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void process(Exchange exchange) {
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, contentType);
        out.setHeader("Cache-Control", "no-store");
        out.setHeader("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'none'");
        out.setHeader("X-Content-Type-Options", "nosniff");
        out.setBody(page);
    }
}
