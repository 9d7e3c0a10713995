package io.warren.http;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/** platform-http's Vert.x engine with warren's consumer ({@link AsyncHttpConsumer}); bound as "platform-http-engine". */
public class AsyncHttpEngine extends VertxPlatformHttpEngine {

    private static final AtomicLong CONSUMERS = new AtomicLong();

    private final ServedPaths servedPaths;

    /** @param servedPaths who is told of each path a consumer serves (the guard's endpoints) */
    public AsyncHttpEngine(ServedPaths servedPaths) {
        this.servedPaths = servedPaths;
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new AsyncHttpConsumer(endpoint, processor, getHandlers(), VertxPlatformHttpRouter.getRouterNameFromPort(getServerPort()),
                servedPaths, "consumer-" + CONSUMERS.incrementAndGet());
    }
}
