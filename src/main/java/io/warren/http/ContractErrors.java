package io.warren.http;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST DSL answers a path its OpenAPI document does not have with a bare 404, and a method it
 * does not have there with a bare 405 (echoing the request's body and headers). This policy, on
 * the API route only, turns them into warren's JSON errors before the answer is written, and keeps
 * its 204 to OPTIONS from echoing the request's headers; a failure of the REST layer itself is a
 * JSON 500, not a stack trace.
 */
public class ContractErrors implements RoutePolicyFactory {

    private static final Logger LOG = LoggerFactory.getLogger(ContractErrors.class);

    private final String apiRouteId;

    public ContractErrors(String apiRouteId) {
        this.apiRouteId = apiRouteId;
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        return apiRouteId.equals(routeId) ? new Policy() : null;
    }

    private static final class Policy extends RoutePolicySupport {

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            if ("OPTIONS".equals(exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class))) {
                // answered 204 by the REST DSL, with the request's headers echoed: only the status stays
                exchange.getMessage().getHeaders().clear();
                exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
                exchange.getMessage().setBody(null);
                return;
            }
            if (exchange.getException() != null) {
                // a failure in the REST layer itself (an operation's route failed before its own
                // error handling): JSON like every other error, no stack trace to the client
                LOG.error("The API route failed on {}", exchange.getIn().getHeader(Exchange.HTTP_PATH), exchange.getException());
                exchange.setException(null);
                reply(exchange, 500, "internal_error", "Unexpected error; see warren's log", Map.of());
                return;
            }
            if (exchange.getProperty(Exchange.REST_OPENAPI) != null) {
                return; // an operation matched and answered for itself
            }
            Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            if (status == null) {
                return;
            }
            if (status == 404) {
                reply(exchange, 404, "not_found", "No such endpoint", Map.of());
            } else if (status == 405) {
                String allow = exchange.getMessage().getHeader("Allow", String.class);
                reply(exchange, 405, "method_not_allowed", "Allowed here: " + allow, allow == null ? Map.of() : Map.of("Allow", allow));
            }
        }

        private static void reply(Exchange exchange, int status, String code, String message, Map<String, String> headers) {
            HttpReply.send(exchange, status, ErrorBody.of(code, message), headers);
        }
    }
}
