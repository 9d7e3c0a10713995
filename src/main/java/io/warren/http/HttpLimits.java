package io.warren.http;

import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What a slow or greedy client may hold of warren's HTTP server, like nginx's defaults:
 * <ul>
 * <li>an idle timeout: a connection with nothing read or written for that long is closed (an idle
 * keep-alive connection, headers or a body that stopped coming);</li>
 * <li>a request timeout: a request whose body is still arriving after that long gets 408 and its
 * connection is closed (a body trickled a byte at a time never looks idle);</li>
 * <li>a connection cap: a connection's first request, past it, gets 503 and the connection is
 * closed (a connection that never sends a request is ended by the idle timeout).</li>
 * </ul>
 * Camel 4.17's platform-http server builds its Vert.x HttpServerOptions with no way to configure
 * them; it does take VertxOptions from the registry. The idle timeout is therefore set through
 * Vert.x's metrics SPI, which is handed each HTTP server's options before the server accepts a
 * connection; no metric is recorded.
 */
public final class HttpLimits {

    private final int idleTimeoutSeconds;
    private final long requestTimeoutMillis;
    private final int maxConnections;
    private final Set<HttpConnection> open = ConcurrentHashMap.newKeySet();

    public HttpLimits(int idleTimeoutSeconds, int requestTimeoutSeconds, int maxConnections) {
        this.idleTimeoutSeconds = idleTimeoutSeconds;
        this.requestTimeoutMillis = TimeUnit.SECONDS.toMillis(requestTimeoutSeconds);
        this.maxConnections = maxConnections;
    }

    /** For the registry: Camel creates its Vert.x instance with these. */
    public VertxOptions vertxOptions() {
        return new VertxOptions().setMetricsOptions(new MetricsOptions().setEnabled(true).setFactory(options -> new VertxMetrics() {
            @Override
            public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions server, SocketAddress address) {
                if (idleTimeoutSeconds > 0) {
                    server.setIdleTimeout(idleTimeoutSeconds).setIdleTimeoutUnit(TimeUnit.SECONDS);
                }
                return null;
            }
        }));
    }

    /** First on every request: the cap, and the timer for a body that does not finish arriving. */
    public void handle(RoutingContext ctx) {
        HttpConnection connection = ctx.request().connection();
        if (maxConnections > 0 && !open.contains(connection)) {
            if (open.size() >= maxConnections) {
                ctx.response().putHeader("Connection", "close").putHeader("Retry-After", "5");
                HttpFront.send(ctx, 503, "server_busy", "Too many open connections to warren (warren.http.max-connections); retry later");
                return;
            }
            open.add(connection);
            connection.closeHandler(closed -> open.remove(connection));
        }
        if (requestTimeoutMillis > 0 && !ctx.request().isEnded()) {
            long timer = ctx.vertx().setTimer(requestTimeoutMillis, id -> {
                if (!ctx.request().isEnded() && !ctx.response().ended()) {
                    ctx.response().putHeader("Connection", "close");
                    HttpFront.send(ctx, 408, "request_timeout", "The request body did not arrive within "
                            + requestTimeoutMillis / 1000 + " s (warren.http.request-timeout-seconds)");
                    ctx.request().connection().close();
                }
            });
            ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
        }
        ctx.next();
    }
}
