package io.warren.broker;

import java.util.List;

/**
 * Every exchange and queue name warren uses, from the settings (warren.exchange.*, warren.queue.*),
 * so the topology is named in one place.
 */
public final class Names {

    private final String jobsExchange;
    private final String deadExchange;
    private final String auditQueue;
    private final String workPrefix;
    private final String deadPrefix;

    public Names(String jobsExchange, String deadExchange, String auditQueue, String workPrefix, String deadPrefix) {
        this.jobsExchange = jobsExchange;
        this.deadExchange = deadExchange;
        this.auditQueue = auditQueue;
        this.workPrefix = workPrefix;
        this.deadPrefix = deadPrefix;
    }

    public String jobsExchange() {
        return jobsExchange;
    }

    public String deadExchange() {
        return deadExchange;
    }

    public String auditQueue() {
        return auditQueue;
    }

    /** Audit copies that could not be written; bound to the dead-letter exchange with the audit queue's name. */
    public String auditDeadQueue() {
        return auditQueue + ".dead";
    }

    public String workQueue(String type) {
        return workPrefix + type;
    }

    public String deadQueue(String type) {
        return deadPrefix + type;
    }

    /** What is wrong with a queue or exchange name a route chose (null: warren's own name). */
    public static List<String> problems(String option, String name) {
        if (name == null) {
            return List.of();
        }
        if (name.isBlank() || name.length() > 255 || name.startsWith("amq.")) {
            return List.of(option + " must be 1 to 255 characters and not start with 'amq.' (reserved by RabbitMQ), not '"
                    + name + "'");
        }
        return List.of();
    }
}
