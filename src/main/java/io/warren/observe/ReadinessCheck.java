package io.warren.observe;

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
    private final String note;
    private final String down;

    /** @param note said even while UP (the embedded development broker says what it is), or null */
    public ReadinessCheck(String id, String what, Runnable probe, String note) {
        this(id, what, probe, note, "is unreachable");
    }

    /** @param down what is said of {@code what} while the probe fails */
    public ReadinessCheck(String id, String what, Runnable probe, String note, String down) {
        super("warren", id);
        this.what = what;
        this.probe = probe;
        this.note = note;
        this.down = down;
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
            if (note != null) {
                builder.message(note);
            }
        } catch (RuntimeException e) {
            builder.down().message(what + " " + down + ": " + Redact.passwords(String.valueOf(e.getMessage())));
        }
    }
}
