package io.warren.intake;

import io.warren.http.ApiError;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Set once warren begins to shut down: from then on the API answers 503 while the workers finish
 * and acknowledge the jobs they hold. As a processor it is the first step of the API route, which
 * starts first and so is stopped last.
 */
public class Drain extends EventNotifierSupport implements Processor {

    private volatile boolean draining;

    @Override
    public void process(Exchange exchange) {
        if (draining) {
            throw new ApiError(503, "shutting_down", "warren is shutting down; send the job to another instance or retry",
                    Map.of("Retry-After", "5"));
        }
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
