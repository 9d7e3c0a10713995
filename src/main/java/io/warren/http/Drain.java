package io.warren.http;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Set once warren begins to shut down: from then on the HTTP front answers every API request 503
 * (shutting_down, Retry-After) while the workers finish and acknowledge the jobs they hold. It is
 * checked in front of the routes, so it holds while they stop, in whatever order.
 */
public class Drain extends EventNotifierSupport {

    private volatile boolean draining;

    public boolean isDraining() {
        return draining;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event.getType() == CamelEvent.Type.CamelContextStopping;
    }

    @Override
    public void notify(CamelEvent event) {
        draining = true;
    }
}
