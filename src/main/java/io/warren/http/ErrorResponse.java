package io.warren.http;

import io.warren.observe.Redact;
import io.warren.store.StoreUnavailable;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;

/**
 * Turns any failure of an HTTP route into {"error": {"code", "message"}} with its status. A job the
 * broker did not take (down, refused, or no confirm in time) is a 503 with Retry-After: never a 202.
 */
public class ErrorResponse implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponse.class);

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof ApiError rejected) {
            reply(exchange, rejected.status(), rejected.code(), rejected.getMessage(), rejected.headers());
        } else if (failure instanceof StoreUnavailable) {
            LOG.warn("Request failed, the job database is unavailable: {}", Redact.passwords(String.valueOf(failure.getMessage())));
            reply(exchange, 503, "store_unavailable", "The job database is unavailable; nothing was accepted. Retry later.",
                    Map.of("Retry-After", "5"));
        } else if (isBrokerFailure(failure)) {
            LOG.warn("Job not accepted, the broker did not take it: {}", Redact.passwords(String.valueOf(failure)));
            String message = failure instanceof TimeoutException
                    ? "The broker did not confirm the job; it was not accepted. Retry later."
                    : "The broker is unavailable; the job was not accepted. Retry later.";
            reply(exchange, 503, "broker_unavailable", message, Map.of("Retry-After", "5"));
        } else {
            LOG.error("Unexpected failure in {}", exchange.getFromRouteId(), failure);
            reply(exchange, 500, "internal_error", "Unexpected error; the job was not accepted. See warren's log.", Map.of());
        }
    }

    private static boolean isBrokerFailure(Throwable failure) {
        return failure instanceof AmqpException
                || failure instanceof TimeoutException
                || failure instanceof RejectedExecutionException
                || failure instanceof java.io.IOException;
    }

    private static void reply(Exchange exchange, int status, String code, String message, Map<String, String> headers) {
        HttpReply.send(exchange, status, ErrorBody.of(code, message), headers);
    }
}
