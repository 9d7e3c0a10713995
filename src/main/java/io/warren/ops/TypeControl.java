package io.warren.ops;

import io.warren.http.ApiError;
import io.warren.http.HttpReply;
import io.warren.security.ApiGuard;
import io.warren.types.JobTypes;
import io.warren.types.TypePauses;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;

/**
 * Pausing and resuming the workers of a job type (routes/types.yaml): a paused type keeps
 * accepting jobs, which wait Ready in its work queue, as with the workers of seed 001 offline. A
 * pause lets running jobs finish and be acked first. It lasts until resumed, through reloads of the
 * type's file and restarts ({@link TypePauses}).
 */
public class TypeControl {

    private JobTypes jobTypes;
    private TypePauses pauses;

    public void setJobTypes(JobTypes jobTypes) {
        this.jobTypes = jobTypes;
    }

    public void setPauses(TypePauses pauses) {
        this.pauses = pauses;
    }

    /** GET /api/v1/types */
    public void list(Exchange exchange) {
        List<TypeState> types = jobTypes.names().stream().map(type -> state(exchange.getContext(), type)).toList();
        List<InvalidFile> invalid = new TreeMap<>(jobTypes.invalidFiles()).entrySet().stream()
                .map(file -> new InvalidFile(file.getKey(), file.getValue())).toList();
        HttpReply.send(exchange, 200, new Types(types, invalid), Map.of());
    }

    /** POST /api/v1/types/{type}/pause */
    public void pause(Exchange exchange) throws Exception {
        String type = type(exchange);
        pauses.pause(exchange.getContext(), type, ApiGuard.principalOf(exchange));
        HttpReply.send(exchange, 200, state(exchange.getContext(), type), Map.of());
    }

    /** POST /api/v1/types/{type}/resume */
    public void resume(Exchange exchange) throws Exception {
        String type = type(exchange);
        pauses.resume(exchange.getContext(), type, ApiGuard.principalOf(exchange));
        HttpReply.send(exchange, 200, state(exchange.getContext(), type), Map.of());
    }

    private TypeState state(CamelContext context, String type) {
        return new TypeState(type, jobTypes.routeOf(type), pauses.workers(context, type),
                jobTypes.queueTroubleOf(type) == null ? "OK" : "MISSING", jobTypes.queueTroubleOf(type));
    }

    /** A live type: its worker route, whether its workers run, whether its work queue is there. */
    public record TypeState(String type, String route, String workers, String queue, String queueError) {
    }

    /** A file in the routes folder that is not live, and why. */
    public record InvalidFile(String file, String error) {
    }

    public record Types(List<TypeState> types, List<InvalidFile> invalidFiles) {
    }

    private String type(Exchange exchange) {
        String type = exchange.getMessage().getHeader("type", String.class);
        if (!jobTypes.isKnown(type)) {
            throw new ApiError(404, "unknown_type", "Unknown job type; known types: " + String.join(", ", jobTypes.names()));
        }
        return type;
    }
}
