package io.warren.component;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.warren.api.JobRejected;
import io.warren.http.ApiError;
import io.warren.http.ErrorBody;
import io.warren.http.HttpReply;
import io.warren.http.RequestBody;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.RouteIdAware;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a warren:http endpoint through a platform-http consumer of its own, registered with the
 * guard while it runs. A failure the route did not handle answers JSON as the API does: a job
 * warren:submit refused keeps its status and code (a 400 for a body that is not a JSON object).
 */
class WebConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(WebConsumer.class);

    private final WebEndpoint endpoint;
    private Consumer served;

    WebConsumer(WebEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Route route = getEndpoint().getCamelContext().getRoute(getRouteId());
        try {
            endpoint.parts().endpoints().register(endpoint.registration(getRouteId(), route == null ? null : route.getDescription()));
        } catch (IllegalStateException e) {
            // named as Camel names a route that did not start, so that a route file's error gives its line
            throw new FailedToStartRouteException(getRouteId(), e.getMessage(), e);
        }
        if (endpoint.role().equals("open")) {
            LOG.warn("Route {} serves {} {} to anyone, with no credential (role=open in its file)", getRouteId(),
                    endpoint.httpMethod(), endpoint.path());
        } else {
            LOG.info("Route {} serves {} {} ({})", getRouteId(), endpoint.httpMethod(), endpoint.path(),
                    endpoint.role().equals("signed") ? "callers sign the body: " + endpoint.signatureHeader()
                            : "needs the " + endpoint.role() + " role");
        }
        served = getEndpoint().getCamelContext()
                .getEndpoint("platform-http:" + endpoint.path() + "?httpMethodRestrict=" + endpoint.httpMethod())
                .createConsumer(new Serve());
        if (served instanceof RouteIdAware aware) {
            aware.setRouteId(getRouteId());
        }
        ServiceHelper.startService(served);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(served);
        super.doStop();
    }

    @Override
    protected void doShutdown() throws Exception {
        ServiceHelper.stopAndShutdownService(served);
        endpoint.parts().endpoints().unregister(getRouteId());
        super.doShutdown();
    }

    /** What the platform-http consumer inside hands requests to: known to PlatformHttpRoutes as a declared endpoint's. */
    final class Serve implements Processor {

        @Override
        public void process(Exchange exchange) throws Exception {
            serve(exchange);
        }
    }

    private void serve(Exchange exchange) throws Exception {
        if (endpoint.role().equals("signed") && !signed(exchange)) {
            HttpReply.send(exchange, 401, ErrorBody.of("bad_signature", "The body's signature (" + endpoint.signatureHeader()
                    + ") is missing or does not match"), Map.of());
            return;
        }
        Map<String, Object> request = new HashMap<>(exchange.getMessage().getHeaders());
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        // the request's headers (its credential among them) are not echoed back: only what the route set
        request.forEach((name, value) -> {
            if (Objects.equals(value, exchange.getMessage().getHeader(name))) {
                exchange.getMessage().removeHeader(name);
            }
        });
        Exception failure = exchange.getException();
        if (failure != null) {
            exchange.setException(null);
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, asApiError(failure));
            endpoint.parts().errors().process(exchange);
        }
    }

    private static Exception asApiError(Exception failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JobRejected rejected) {
                return new ApiError(rejected.status(), rejected.reason(), rejected.getMessage());
            }
            if (t instanceof JsonProcessingException json) {
                return new ApiError(400, "malformed_json", "The body is not valid JSON: " + json.getOriginalMessage());
            }
        }
        return failure;
    }

    /** HMAC-SHA256 of the body with the secret, as "sha256=<hex>" (GitHub's form), compared in constant time. */
    private boolean signed(Exchange exchange) throws Exception {
        byte[] body = RequestBody.bytes(exchange.getMessage());
        exchange.getMessage().setBody(body);
        String given = exchange.getMessage().getHeader(endpoint.signatureHeader(), String.class);
        if (given == null || body == null) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(endpoint.signatureSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = ("sha256=" + HexFormat.of().formatHex(mac.doFinal(body))).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given.trim().getBytes(StandardCharsets.UTF_8));
    }
}
