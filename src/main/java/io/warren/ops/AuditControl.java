package io.warren.ops;

import io.warren.http.HttpReply;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;

/**
 * Pausing and resuming the audit consumer (routes/audit.yaml): while it is paused every job's
 * audit copy waits Ready in the audit queue, which is how seed 001's no-loss test counts them.
 * A pause lasts until resumed or until warren restarts.
 */
public class AuditControl {

    private static final String ROUTE = "audit-log";

    /** POST /api/v1/audit/pause */
    public void pause(Exchange exchange) throws Exception {
        exchange.getContext().getRouteController().stopRoute(ROUTE);
        reply(exchange);
    }

    /** POST /api/v1/audit/resume */
    public void resume(Exchange exchange) throws Exception {
        exchange.getContext().getRouteController().startRoute(ROUTE);
        reply(exchange);
    }

    private static void reply(Exchange exchange) {
        ServiceStatus status = exchange.getContext().getRouteController().getRouteStatus(ROUTE);
        HttpReply.send(exchange, 200, new AuditState(ROUTE, status != null && status.isStarted() ? "RUNNING" : "PAUSED"), Map.of());
    }

    /** The audit consumer: its route and whether it runs. */
    public record AuditState(String route, String consumer) {
    }
}
