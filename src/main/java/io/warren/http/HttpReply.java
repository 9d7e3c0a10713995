package io.warren.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Sets the whole HTTP answer: status, the body as JSON (a record, the shape of the answer, as the
 * OpenAPI document describes it) and exactly the given headers. Clearing the message headers first
 * is what keeps request and AMQP headers from being echoed back to the client.
 */
public final class HttpReply {

    public static final ObjectMapper JSON = new ObjectMapper();

    private HttpReply() {
    }

    public static void send(Exchange exchange, int status, Object body, Map<String, String> headers) {
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        headers.forEach(out::setHeader);
        try {
            out.setBody(JSON.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
