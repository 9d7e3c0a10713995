package io.warren;

import io.warren.broker.BrokerAddress;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of something warren depends on (the broker, the database): DOWN while the probe fails.
 * Without it Camel stays UP with the broker gone, because listener containers only log reconnects.
 */
public class ReadinessCheck extends AbstractHealthCheck {

    private final String what;
    private final Runnable probe;

    public ReadinessCheck(String id, String what, Runnable probe) {
        super("warren", id);
        this.what = what;
        this.probe = probe;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("target", what);
        try {
            probe.run();
            builder.up();
        } catch (RuntimeException e) {
            builder.down().message(what + " is unreachable: " + BrokerAddress.mask(String.valueOf(e.getMessage())));
        }
    }
}
