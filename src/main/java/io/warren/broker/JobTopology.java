package io.warren.broker;

import com.rabbitmq.client.ShutdownSignalException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
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
 * The shared queues (audit, its dead queue, the commands queues) and the dead-letter queues are of
 * the type warren.queue.type names: quorum on a cluster, so that no node's loss stops them.
 */
public class JobTopology {

    private final RabbitAdmin admin;
    private final Names names;
    private final boolean embedded;
    private final boolean quorum;
    private final Integer version;
    private final Map<String, TypeQueues> declared = new ConcurrentHashMap<>();

    /**
     * @param embedded the embedded Qpid broker, which dead-letters by alternate exchange, not x-dead-letter-*
     * @param quorum warren's own queues are quorum queues (warren.queue.type)
     * @param version the classic queue version (warren.queue.version), null for the broker's default; also the
     *                default of classic types' work queues
     */
    public JobTopology(RabbitAdmin admin, Names names, boolean embedded, boolean quorum, Integer version) {
        this.admin = admin;
        this.names = names;
        this.embedded = embedded;
        this.quorum = quorum;
        this.version = version;
    }

    /** One of warren's own durable queues, of warren.queue.type (and warren.queue.version). */
    private Queue ownQueue(String name) {
        return QueueBuilder.durable(name).withArguments(QueueOptions.defaults(quorum, version).arguments()).build();
    }

    /** warren.queue.version, null for the broker's default. */
    public Integer version() {
        return version;
    }

    public Names names() {
        return names;
    }

    /** The exchanges and the audit queue, shared by all job types. */
    public void declareShared() {
        declare(() -> {
            admin.declareExchange(new DirectExchange(names.jobsExchange(), true, false));
            admin.declareExchange(new DirectExchange(names.deadExchange(), true, false));
            admin.declareQueue(ownQueue(names.auditQueue()));
            // audit copies that could not be written, with why
            Queue auditDead = ownQueue(names.auditDeadQueue());
            admin.declareQueue(auditDead);
            admin.declareBinding(BindingBuilder.bind(auditDead).to(new DirectExchange(names.deadExchange(), true, false))
                    .with(names.auditQueue()));
        });
    }

    /** True when the type's work queue is on the broker (a passive declare). */
    public boolean workQueueExists(String type) {
        return admin.getQueueProperties(workQueue(type)) != null;
    }

    /** Messages ready in the type's work queue (a passive declare; not those delivered and unacked), -1 when it is missing. */
    public long readyInWorkQueue(String type) {
        Properties properties = admin.getQueueProperties(workQueue(type));
        return properties == null ? -1 : ((Number) properties.get(RabbitAdmin.QUEUE_MESSAGE_COUNT)).longValue();
    }

    /** The type's work queue: as its route named it, else warren.work.<type>. */
    public String workQueue(String type) {
        TypeQueues queues = declared.get(type);
        return queues == null || queues.workQueue() == null ? names.workQueue(type) : queues.workQueue();
    }

    /** The exchange the type's jobs are published to: as its route named it, else warren.jobs. */
    public String exchangeOf(String type) {
        TypeQueues queues = declared.get(type);
        return queues == null || queues.exchange() == null ? names.jobsExchange() : queues.exchange();
    }

    /** Where a job of the type waits out a back-off of {@code delayMillis} before it is retried. */
    public String retryQueue(String type, long delayMillis) {
        return workQueue(type) + ".retry." + delayMillis + "ms";
    }

    /** True when the shared audit queue is on the broker. */
    public boolean auditQueueExists() {
        return admin.getQueueProperties(names.auditQueue()) != null;
    }

    /**
     * Declares a job type's queues with its options, and a retry queue per back-off delay: a job
     * waiting to be retried sits there, holding no consumer, until its TTL sends it back to the work
     * queue through the default exchange (so the audit queue does not get a second copy). Kept for
     * {@link #declareType(String)}, which declares them.
     */
    public void plan(String type, String workQueue, String exchange, QueueOptions options, List<Long> retryDelays) {
        for (Map.Entry<String, TypeQueues> other : declared.entrySet()) {
            if (!other.getKey().equals(type) && workQueue(other.getKey()).equals(workQueue == null ? names.workQueue(type) : workQueue)) {
                throw new IllegalArgumentException("queue " + workQueue + " is the work queue of job type '" + other.getKey()
                        + "' already; each type needs its own");
            }
        }
        declared.put(type, new TypeQueues(workQueue, exchange, options, List.copyOf(retryDelays)));
    }

    /** Declares the type's queues as planned (with the defaults for a type not planned). */
    public void declareType(String type) {
        TypeQueues queues = declared.getOrDefault(type, new TypeQueues(null, null, QueueOptions.defaults(quorum, version), List.of()));
        declare(() -> {
            DirectExchange jobs = new DirectExchange(exchangeOf(type), true, false);
            admin.declareExchange(jobs);
            DirectExchange dead = new DirectExchange(names.deadExchange(), true, false);
            Map<String, Object> arguments = new LinkedHashMap<>(queues.options().arguments());
            if (embedded) {
                arguments.put("alternateExchange", names.deadExchange());
            } else {
                arguments.put("x-dead-letter-exchange", names.deadExchange());
                arguments.put("x-dead-letter-routing-key", type);
            }
            Queue work = QueueBuilder.durable(workQueue(type)).withArguments(arguments).build();
            Queue deadLetters = ownQueue(names.deadQueue(type));
            Queue audit = ownQueue(names.auditQueue());
            admin.declareQueue(work);
            admin.declareQueue(deadLetters);
            admin.declareBinding(BindingBuilder.bind(work).to(jobs).with(type));
            admin.declareBinding(BindingBuilder.bind(audit).to(jobs).with(type));
            admin.declareBinding(BindingBuilder.bind(deadLetters).to(dead).with(type));
            for (long delay : queues.retryDelays()) {
                // the work queue's type and storage, none of its limits
                QueueOptions storage = QueueOptions.defaults(queues.options().quorum(), queues.options().queueVersion());
                Map<String, Object> retry = new LinkedHashMap<>(storage.arguments());
                retry.put("x-message-ttl", delay);
                retry.put("x-dead-letter-exchange", "");
                retry.put("x-dead-letter-routing-key", workQueue(type));
                admin.declareQueue(QueueBuilder.durable(retryQueue(type, delay)).withArguments(retry).build());
            }
        });
    }

    /** The type's retry queues, shortest delay first. */
    public List<String> retryQueues(String type) {
        TypeQueues queues = declared.get(type);
        return queues == null ? List.of() : queues.retryDelays().stream().map(delay -> retryQueue(type, delay)).toList();
    }

    /**
     * The type's file is gone: new jobs stop reaching its work queue, unless another instance still
     * consumes it. Its queues and what they hold stay; an admin deletes them (never warren on its own).
     * Returns whether the work queue was unbound.
     */
    public boolean unbindType(String type) {
        String queue = workQueue(type);
        String exchange = exchangeOf(type);
        declared.remove(type);
        Properties work = admin.getQueueProperties(queue);
        if (work == null || ((Number) work.get(RabbitAdmin.QUEUE_CONSUMER_COUNT)).intValue() > 0) {
            return false;
        }
        admin.removeBinding(new Binding(queue, Binding.DestinationType.QUEUE, exchange, type, null));
        admin.removeBinding(new Binding(names.auditQueue(), Binding.DestinationType.QUEUE, exchange, type, null));
        return true;
    }

    /** workQueue, exchange: null for warren's names. */
    private record TypeQueues(String workQueue, String exchange, QueueOptions options, List<Long> retryDelays) {
    }

    /**
     * The fleet's commands exchange and this instance's own durable queue, bound with its id and
     * with "all": a broadcast reaches every instance once (seed 002's single shared "broadcast"
     * queue gave each broadcast to only one of them).
     */
    public void declareCommands(String exchange, String queue, String instanceId) {
        declare(() -> {
            DirectExchange commands = new DirectExchange(exchange, true, false);
            Queue own = ownQueue(queue);
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
                        + ". A queue keeps the arguments it was declared with: put the option back as it was, or drain "
                        + "and delete the queue (DELETE /api/v1/queues/{name} refuses a work queue while its type is "
                        + "live), or move the type to new queues with warren.queue.work-prefix."
                        + (refusal.contains("x-queue-version") ? " A queue's version alone can change in place: declare it "
                        + "without one and set a queue-version policy (docs/routes.md)." : ""), e);
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
