package io.warren.broker;

import com.rabbitmq.client.ShutdownSignalException;
import java.util.Map;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Declares warren's durable topology: the direct jobs exchange, and per job type a work queue
 * (dead-lettering to the dead-letter exchange), its binding to the audit queue, and its dead-letter
 * queue. Declaring is idempotent; a queue that exists with other arguments is a {@link TopologyConflict}.
 */
public class JobTopology {

    private final RabbitAdmin admin;
    private final Names names;
    private final boolean embedded;

    /** @param embedded the embedded Qpid broker, which dead-letters by alternate exchange, not x-dead-letter-* */
    public JobTopology(RabbitAdmin admin, Names names, boolean embedded) {
        this.admin = admin;
        this.names = names;
        this.embedded = embedded;
    }

    public Names names() {
        return names;
    }

    /** The exchanges and the audit queue, shared by all job types. */
    public void declareShared() {
        declare(() -> {
            admin.declareExchange(new DirectExchange(names.jobsExchange(), true, false));
            admin.declareExchange(new DirectExchange(names.deadExchange(), true, false));
            admin.declareQueue(QueueBuilder.durable(names.auditQueue()).build());
            // audit copies that could not be written, with why
            Queue auditDead = QueueBuilder.durable(names.auditDeadQueue()).build();
            admin.declareQueue(auditDead);
            admin.declareBinding(BindingBuilder.bind(auditDead).to(new DirectExchange(names.deadExchange(), true, false))
                    .with(names.auditQueue()));
        });
    }

    /** True when the type's work queue is on the broker (a passive declare). */
    public boolean workQueueExists(String type) {
        return admin.getQueueProperties(names.workQueue(type)) != null;
    }

    /** True when the shared audit queue is on the broker. */
    public boolean auditQueueExists() {
        return admin.getQueueProperties(names.auditQueue()) != null;
    }

    public void declareType(String type) {
        declare(() -> {
            DirectExchange jobs = new DirectExchange(names.jobsExchange(), true, false);
            DirectExchange dead = new DirectExchange(names.deadExchange(), true, false);
            Queue work = QueueBuilder.durable(names.workQueue(type))
                    .withArguments(embedded
                            ? Map.of("alternateExchange", names.deadExchange())
                            : Map.of("x-dead-letter-exchange", names.deadExchange(), "x-dead-letter-routing-key", type))
                    .build();
            Queue deadLetters = QueueBuilder.durable(names.deadQueue(type)).build();
            Queue audit = QueueBuilder.durable(names.auditQueue()).build();
            admin.declareQueue(work);
            admin.declareQueue(deadLetters);
            Binding workBinding = BindingBuilder.bind(work).to(jobs).with(type);
            admin.declareBinding(workBinding);
            admin.declareBinding(BindingBuilder.bind(audit).to(jobs).with(type));
            admin.declareBinding(BindingBuilder.bind(deadLetters).to(dead).with(type));
        });
    }

    /**
     * The fleet's commands exchange and this instance's own durable queue, bound with its id and
     * with "all": a broadcast reaches every instance once (seed 002's single shared "broadcast"
     * queue gave each broadcast to only one of them).
     */
    public void declareCommands(String exchange, String queue, String instanceId) {
        declare(() -> {
            DirectExchange commands = new DirectExchange(exchange, true, false);
            Queue own = QueueBuilder.durable(queue).build();
            admin.declareExchange(commands);
            admin.declareQueue(own);
            admin.declareBinding(BindingBuilder.bind(own).to(commands).with(instanceId));
            admin.declareBinding(BindingBuilder.bind(own).to(commands).with("all"));
        });
    }

    private void declare(Runnable declarations) {
        try {
            declarations.run();
        } catch (RuntimeException e) {
            String refusal = preconditionFailure(e);
            if (refusal != null) {
                throw new TopologyConflict("The broker refused warren's topology: " + refusal
                        + ". Delete the queue (it must be empty or drained first) or change warren's queue names.", e);
            }
            throw e;
        }
    }

    /** The broker's PRECONDITION_FAILED text, which names the queue and the argument, or null. */
    private static String preconditionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ShutdownSignalException signal && signal.getReason() != null) {
                String text = signal.getReason().toString();
                int at = text.indexOf("PRECONDITION_FAILED");
                if (at >= 0) {
                    int end = text.indexOf(", class-id", at);
                    return text.substring(at, end > at ? end : text.length()).replace("reply-text=", "");
                }
            }
        }
        return null;
    }
}
