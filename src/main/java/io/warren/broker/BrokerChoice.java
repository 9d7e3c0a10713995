package io.warren.broker;

/**
 * Which broker warren uses (warren.broker): {@code external} always the configured RabbitMQ;
 * {@code embedded} always the in-process development broker; {@code auto} (default) a configured
 * URL, else a RabbitMQ answering on localhost:5672, else the embedded broker.
 */
public final class BrokerChoice {

    public enum Kind { EXTERNAL, EMBEDDED }

    private BrokerChoice() {
    }

    public static Kind choose(String mode, boolean urlConfigured, boolean localRabbitAnswers) {
        return switch (mode.trim().toLowerCase()) {
            case "external" -> Kind.EXTERNAL;
            case "embedded" -> Kind.EMBEDDED;
            case "auto" -> urlConfigured || localRabbitAnswers ? Kind.EXTERNAL : Kind.EMBEDDED;
            default -> throw new IllegalArgumentException("warren.broker must be auto, external or embedded, not '" + mode + "'");
        };
    }
}
