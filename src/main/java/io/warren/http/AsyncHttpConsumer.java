package io.warren.http;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.warren.api.JobProperties;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumerAware;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxReplies;

/**
 * platform-http's Vert.x consumer, with the route called asynchronously. Camel 4.17's consumer
 * runs each request's route on a Vert.x worker and holds that worker until the route is done, so
 * a route that waits for the broker (a job's confirm) parks a thread per request, and each park
 * and wake-up is a context switch on a machine that has few cores to spare. Here the worker
 * starts the route and is free again at its first asynchronous step (the intake's publish); the
 * route goes on from there on the request's event loop ({@link JobProperties#REPLY_EXECUTOR}),
 * which writes the answer. A route without such a step ends on the worker, as before.
 *
 * <p>What Camel's consumer does before and after the route is the same here: the request read
 * (headers, body), the unit of work, the answer written by Camel's own code ({@link VertxReplies}),
 * a failure handed to the router's failure handler. A suspended consumer, a proxy endpoint and a
 * form post (its fields become headers in a step private to Camel's consumer) and a consumer whose
 * processor is not asynchronous (warren:http's) go through Camel's consumer unchanged.
 */
public class AsyncHttpConsumer extends VertxPlatformHttpConsumer {

    private final ServedPaths servedPaths;
    /** For a consumer that is no route's own (warren:http's inner one): its name for ServedPaths. */
    private final String name;
    /** Who serves the path, for ServedPaths: the route's id, else the name. */
    private String servedBy;

    public AsyncHttpConsumer(PlatformHttpEndpoint endpoint, Processor processor, List<Handler<RoutingContext>> handlers,
                             String routerName, ServedPaths servedPaths, String name) {
        super(endpoint, processor, handlers, routerName);
        this.servedPaths = servedPaths;
        this.name = name;
    }

    @Override
    protected void doStart() throws Exception {
        PlatformHttpEndpoint endpoint = getEndpoint();
        // as Camel's consumer gives the path to Vert.x: matchOnUriPrefix is a trailing *
        String path = endpoint.isMatchOnUriPrefix() && !endpoint.getPath().endsWith("*") ? endpoint.getPath() + "*" : endpoint.getPath();
        // the route whose consumer (Camel's wrapper, a route's own or a REST operation's) holds this one;
        // not by endpoint: Camel shares one endpoint between a route and a REST operation on its URI
        Route route = endpoint.getCamelContext().getRoutes().stream()
                .filter(r -> r.getConsumer() instanceof PlatformHttpConsumerAware aware && aware.getPlatformHttpConsumer() == this)
                .findFirst().orElse(null);
        servedBy = route == null ? name : route.getRouteId();
        String source = route == null || route.getSourceResource() == null ? null : route.getSourceResource().getLocation();
        servedPaths.serving(servedBy, source, path, endpoint.getHttpMethodRestrict(), getProcessor());
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        try {
            super.doStop();
        } finally {
            servedPaths.stopped(servedBy);
        }
    }

    @Override
    protected void handleRequest(RoutingContext ctx) {
        // a plain Processor (warren:http's) throws its failures: Camel's consumer answers them in JSON (HttpFront)
        if (isSuspended() || getEndpoint().isHttpProxy() || VertxReplies.isForm(ctx) || !(getProcessor() instanceof AsyncProcessor)) {
            super.handleRequest(ctx);
            return;
        }
        Context eventLoop = ctx.vertx().getOrCreateContext();
        Exchange exchange = createExchange(false);
        exchange.setPattern(ExchangePattern.InOut);
        processHttpRequest(exchange, ctx).onComplete(read -> {
            if (read.failed()) {
                failed(exchange, ctx, read.cause());
                return;
            }
            Executor onEventLoop = task -> eventLoop.runOnContext(nothing -> task.run());
            exchange.setProperty(JobProperties.REPLY_EXECUTOR, onEventLoop);
            // a route may block (a database, a synchronous step): it starts on a worker, never on the event loop
            eventLoop.executeBlocking(() -> {
                try {
                    route(exchange, ctx, eventLoop);
                } catch (RuntimeException | Error e) {
                    eventLoop.runOnContext(nothing -> failed(exchange, ctx, e));
                }
                return null;
            }, false);
        });
    }

    private void route(Exchange exchange, RoutingContext ctx, Context eventLoop) {
        try {
            createUoW(exchange);
        } catch (Exception e) {
            eventLoop.runOnContext(nothing -> failed(exchange, ctx, e));
            return;
        }
        getAsyncProcessor().process(exchange, doneSync -> {
            if (Context.isOnEventLoopThread() && Vertx.currentContext() == eventLoop) {
                reply(exchange, ctx);
            } else {
                eventLoop.runOnContext(nothing -> reply(exchange, ctx));
            }
        });
    }

    private void reply(Exchange exchange, RoutingContext ctx) {
        VertxReplies.write(ctx, exchange, getEndpoint().getHeaderFilterStrategy(), getEndpoint().isMuteException())
                .onComplete(written -> {
                    if (written.succeeded()) {
                        done(exchange);
                    } else {
                        failed(exchange, ctx, written.cause());
                    }
                });
    }

    /** As Camel's consumer does with a failure outside the route: logged, handed to the router, the exchange released. */
    private void failed(Exchange exchange, RoutingContext ctx, Throwable failure) {
        getExceptionHandler().handleException("Failed handling platform-http endpoint " + getEndpoint().getPath(), failure);
        ctx.fail(failure);
        if (getEndpoint().isHandleWriteResponseError() && failure != null) {
            Exception existing = exchange.getException();
            if (existing != null) {
                failure.addSuppressed(existing);
            }
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
            exchange.setException(failure);
        }
        done(exchange);
    }

    private void done(Exchange exchange) {
        doneUoW(exchange);
        releaseExchange(exchange, false);
    }
}
