package io.warren.intake;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Set once warren begins to shut down: from then on the intake answers 503 while the workers
 * finish and acknowledge the jobs they hold.
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
