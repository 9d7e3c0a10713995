package io.warren.intake;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

/**
 * Errors raised by the HTTP server itself, before any route runs (a body over the size limit, no
 * such path), answer in the same JSON shape as the routes instead of Vert.x's plain text or HTML.
 */
public class HttpErrorPages extends MainListenerSupport {

    @Override
    public void afterStart(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        int port = Integer.parseInt(context.resolvePropertyPlaceholders("{{warren.http.port}}"));
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        router.route().order(Integer.MIN_VALUE).failureHandler(HttpErrorPages::failed);
        router.route().order(Integer.MAX_VALUE).handler(ctx -> send(ctx, 404, "not_found", "No such endpoint"));
    }

    private static void failed(RoutingContext ctx) {
        switch (ctx.statusCode()) {
            case 413 -> send(ctx, 413, "body_too_large", "The request body is over the size limit");
            case 400 -> send(ctx, 400, "bad_request", "The request could not be read");
            default -> send(ctx, 500, "internal_error", "Unexpected error; see warren's log");
        }
    }

    private static void send(RoutingContext ctx, int status, String code, String message) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode());
    }
}
