package io.warren.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * What the HTTP server does before and after the routes, installed once the server exists and
 * before any route starts (so no request ever reaches a route unchecked): the access guard first,
 * and errors raised by the server itself (a body over the size limit, no such path) answered in
 * warren's JSON error shape instead of Vert.x's plain text or HTML.
 */
public class HttpFront extends EventNotifierSupport {

    private final Handler<RoutingContext> guard;
    private final HttpLimits limits;
    private final Drain drain;

    /** @param guard checks every request before the routes; null when security is off */
    public HttpFront(Handler<RoutingContext> guard, HttpLimits limits, Drain drain) {
        this.guard = guard;
        this.limits = limits;
        this.drain = drain;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event.getType() == CamelEvent.Type.RoutesStarting;
    }

    @Override
    public void notify(CamelEvent event) {
        CamelContext context = ((CamelEvent.CamelContextEvent) event).getContext();
        int port = Integer.parseInt(context.resolvePropertyPlaceholders("{{warren.http.port}}"));
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        router.route().order(Integer.MIN_VALUE).failureHandler(HttpFront::failed);
        // HEAD is GET without the body (RFC 9110): the routes see GET, Vert.x drops the body for
        // HEAD. First, as a reroute starts the router again: the limits and the guard run once.
        router.route().order(Integer.MIN_VALUE).method(HttpMethod.HEAD)
                .handler(ctx -> ctx.reroute(HttpMethod.GET, ctx.request().uri()));
        router.route().order(Integer.MIN_VALUE + 1).handler(limits::handle);
        router.route().order(Integer.MIN_VALUE + 1).handler(HttpFront::plainBodiesOnly);
        // the API's route takes the prefix /api/v1 (REST DSL): /api/v1dead-letters must not reach it
        router.routeWithRegex("/api/v1[^/].*").order(Integer.MIN_VALUE + 1)
                .handler(ctx -> send(ctx, 404, "not_found", "No such endpoint"));
        if (guard != null) {
            router.route().order(Integer.MIN_VALUE + 2).handler(guard);
        }
        router.route("/api/*").order(Integer.MIN_VALUE + 2).handler(this::refuseWhileDraining);
        router.route().order(Integer.MAX_VALUE).handler(ctx -> send(ctx, 404, "not_found", "No such endpoint"));
    }

    private void refuseWhileDraining(RoutingContext ctx) {
        if (drain.isDraining()) {
            ctx.response().putHeader("Retry-After", "5");
            send(ctx, 503, "shutting_down", "warren is shutting down; send the job to another instance or retry");
            return;
        }
        ctx.next();
    }

    /**
     * A body in a transfer coding other than chunked (gzip, deflate, ...) would be read as plain
     * bytes: refused, as RFC 9112 allows (501 for a transfer coding the server does not understand).
     */
    private static void plainBodiesOnly(RoutingContext ctx) {
        String codings = ctx.request().getHeader("Transfer-Encoding");
        if (codings != null && !codings.strip().equalsIgnoreCase("chunked")) {
            ctx.response().putHeader("Connection", "close");
            send(ctx, 501, "unsupported_transfer_encoding", "Transfer-Encoding '" + codings.replaceAll("[^\\x20-\\x7E]", "?")
                    + "' is not supported; send the body plain or chunked");
            return;
        }
        ctx.next();
    }

    private static void failed(RoutingContext ctx) {
        switch (ctx.statusCode()) {
            case 413 -> send(ctx, 413, "body_too_large", "The request body is over the size limit");
            case 400 -> send(ctx, 400, "bad_request", "The request could not be read");
            default -> send(ctx, 500, "internal_error", "Unexpected error; see warren's log");
        }
    }

    static void send(RoutingContext ctx, int status, String code, String message) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode());
    }
}
