package io.warren.broker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The work queue options a job type's route may choose ({@code from: warren:work:<type>?...}),
 * checked before anything is declared, and turned into RabbitMQ queue arguments. Null means the
 * broker's default. {@code queueVersion} 2 is RabbitMQ's newer classic queue storage (3.10+; the
 * default from 3.13). Options that do not fit together, or that the broker in use lacks, are errors
 * that name the option.
 */
public record QueueOptions(String queueType, Long messageTtl, Long maxLength, Long maxLengthBytes, String overflow,
                           boolean lazy, boolean singleActiveConsumer, Integer deliveryLimit, Integer queueVersion) {

    public static final QueueOptions DEFAULTS = new QueueOptions("classic", null, null, null, null, false, false, null, null);

    private static final List<String> TYPES = List.of("classic", "quorum");
    private static final List<String> OVERFLOWS = List.of("drop-head", "reject-publish", "reject-publish-dlx");

    /** A queue type setting: true for quorum, false for classic; anything else is refused, naming the setting. */
    public static boolean isQuorum(String setting, String queueType) {
        if (!TYPES.contains(queueType)) {
            throw new IllegalArgumentException(setting + " must be classic or quorum, not '" + queueType + "'");
        }
        return "quorum".equals(queueType);
    }

    /** A queue version setting: null when blank (the broker's default), else 1 or 2; anything else is refused, naming the setting. */
    public static Integer version(String setting, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.strip()) {
            case "1" -> 1;
            case "2" -> 2;
            default -> throw new IllegalArgumentException(setting + " must be 1, 2 or empty, not '" + value + "'");
        };
    }

    /** The version a route's queue gets: its own, else the setting's, which is for classic queues only. */
    public static Integer versionFor(String queueType, Integer routeVersion, Integer settingVersion) {
        return routeVersion != null || "quorum".equals(queueType) ? routeVersion : settingVersion;
    }

    /** The options of a type whose route chose none: warren.queue.type and warren.queue.version. */
    public static QueueOptions defaults(boolean quorum, Integer version) {
        return new QueueOptions(quorum ? "quorum" : "classic", null, null, null, null, false, false, null, quorum ? null : version);
    }

    public boolean quorum() {
        return "quorum".equals(queueType);
    }

    /** What is wrong with these options, one sentence each; empty when they can be declared. */
    public List<String> problems(boolean embeddedBroker) {
        List<String> problems = new ArrayList<>();
        if (!TYPES.contains(queueType)) {
            problems.add("queueType must be classic or quorum, not '" + queueType + "'");
        }
        negative(problems, "messageTtl", messageTtl);
        negative(problems, "maxLength", maxLength);
        negative(problems, "maxLengthBytes", maxLengthBytes);
        if (overflow != null && !OVERFLOWS.contains(overflow)) {
            problems.add("overflow must be one of " + String.join(", ", OVERFLOWS) + ", not '" + overflow + "'");
        }
        if (quorum() && "reject-publish-dlx".equals(overflow)) {
            problems.add("overflow reject-publish-dlx is for classic queues; quorum queues take drop-head or reject-publish");
        }
        if (quorum() && lazy) {
            problems.add("lazy is for classic queues; quorum queues keep their messages on disk anyway");
        }
        if (deliveryLimit != null && !quorum()) {
            problems.add("deliveryLimit needs queueType=quorum (classic queues do not count deliveries)");
        }
        if (queueVersion != null && quorum()) {
            problems.add("queueVersion is for classic queues; quorum queues have one storage");
        }
        if (queueVersion != null && queueVersion != 1 && queueVersion != 2) {
            problems.add("queueVersion must be 1 or 2, not " + queueVersion);
        }
        if (deliveryLimit != null && deliveryLimit < 1) {
            problems.add("deliveryLimit must be 1 or more, not " + deliveryLimit);
        }
        if (embeddedBroker && !equals(DEFAULTS)) {
            problems.add("the embedded development broker takes no queue options (" + this.chosen()
                    + "); run warren against RabbitMQ to use them");
        }
        return problems;
    }

    /** The RabbitMQ arguments for these options (not the dead-lettering ones, which warren sets). */
    public Map<String, Object> arguments() {
        Map<String, Object> arguments = new LinkedHashMap<>();
        if (quorum()) {
            arguments.put("x-queue-type", "quorum");
        }
        put(arguments, "x-message-ttl", messageTtl);
        put(arguments, "x-max-length", maxLength);
        put(arguments, "x-max-length-bytes", maxLengthBytes);
        put(arguments, "x-overflow", overflow);
        if (lazy) {
            arguments.put("x-queue-mode", "lazy");
        }
        if (singleActiveConsumer) {
            arguments.put("x-single-active-consumer", true);
        }
        put(arguments, "x-delivery-limit", deliveryLimit);
        put(arguments, "x-queue-version", queueVersion);
        return arguments;
    }

    private String chosen() {
        Map<String, Object> chosen = arguments();
        chosen.remove("x-queue-type");
        return quorum() ? "queueType=quorum " + chosen : chosen.toString();
    }

    private static void negative(List<String> problems, String option, Long value) {
        if (value != null && value < 0) {
            problems.add(option + " must be 0 or more, not " + value);
        }
    }

    private static void put(Map<String, Object> arguments, String name, Object value) {
        if (value != null) {
            arguments.put(name, value);
        }
    }
}
