package io.warren.types;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warren.http.ApiError;
import io.warren.http.HttpReply;
import io.warren.types.JobTypes;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;

/**
 * Pausing and resuming the workers of a job type (routes/types.yaml): a paused type keeps
 * accepting jobs, which wait Ready in its work queue, as with the workers of seed 001 offline. A
 * pause lets running jobs finish and be acked first. It lasts until resumed, the type's file is
 * reloaded, or warren restarts.
 */
public class TypeControl {

    private JobTypes jobTypes;

    public void setJobTypes(JobTypes jobTypes) {
        this.jobTypes = jobTypes;
    }

    /** GET /api/v1/types */
    public void list(Exchange exchange) {
        ObjectNode body = HttpReply.JSON.createObjectNode();
        ArrayNode types = body.putArray("types");
        for (String type : jobTypes.names()) {
            types.add(state(exchange.getContext(), type));
        }
        ArrayNode invalid = body.putArray("invalidFiles");
        new java.util.TreeMap<>(jobTypes.invalidFiles()).forEach((file, why) -> invalid.addObject().put("file", file).put("error", why));
        HttpReply.send(exchange, 200, body, Map.of());
    }

    /** POST /api/v1/types/{type}/pause */
    public void pause(Exchange exchange) throws Exception {
        String type = type(exchange);
        exchange.getContext().getRouteController().stopRoute(jobTypes.routeOf(type));
        HttpReply.send(exchange, 200, state(exchange.getContext(), type), Map.of());
    }

    /** POST /api/v1/types/{type}/resume */
    public void resume(Exchange exchange) throws Exception {
        String type = type(exchange);
        exchange.getContext().getRouteController().startRoute(jobTypes.routeOf(type));
        HttpReply.send(exchange, 200, state(exchange.getContext(), type), Map.of());
    }

    private ObjectNode state(CamelContext context, String type) {
        ServiceStatus status = context.getRouteController().getRouteStatus(jobTypes.routeOf(type));
        return HttpReply.JSON.createObjectNode()
                .put("type", type)
                .put("route", jobTypes.routeOf(type))
                .put("workers", status != null && status.isStarted() ? "RUNNING" : "PAUSED")
                .put("queue", jobTypes.queueTroubleOf(type) == null ? "OK" : "MISSING")
                .put("queueError", jobTypes.queueTroubleOf(type));
    }

    private String type(Exchange exchange) {
        String type = exchange.getMessage().getHeader("type", String.class);
        if (!jobTypes.isKnown(type)) {
            throw new ApiError(404, "unknown_type", "Unknown job type; known types: " + String.join(", ", jobTypes.names()));
        }
        return type;
    }
}
