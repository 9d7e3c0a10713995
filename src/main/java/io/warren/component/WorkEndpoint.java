package io.warren.component;

import io.warren.broker.Names;
import io.warren.broker.QueueOptions;
import io.warren.types.JobTypes;
import io.warren.worker.RetrySchedule;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code from: warren:work:<type>?options}: a job type's worker. Its options are the work queue's
 * (queueType, queueVersion, messageTtl, maxLength, maxLengthBytes, overflow, lazy, singleActiveConsumer,
 * deliveryLimit), the consumers' (prefetch, concurrency) and the retries' (retries,
 * initialDelayMillis, multiplier, maxDelayMillis, retryMode {@code queue} or {@code in-place}), and
 * other names than warren's for the work queue ({@code queue}) and the direct exchange its jobs are
 * published to ({@code exchange}).
 * They are checked together before anything is declared; every problem is named.
 */
public class WorkEndpoint extends DefaultEndpoint implements MultipleConsumersSupport {

    private final String type;
    private final WorkParts parts;

    private int prefetch;
    private int concurrency;
    private int retries;
    private long initialDelayMillis;
    private double multiplier;
    private long maxDelayMillis;
    private String retryMode;
    private String queueType;
    private Integer queueVersion;
    private Long messageTtl;
    private Long maxLength;
    private Long maxLengthBytes;
    private String overflow;
    private boolean lazy;
    private boolean singleActiveConsumer;
    private Integer deliveryLimit;
    private String queue;
    private String exchange;

    WorkEndpoint(String uri, Component component, String type, WorkParts parts) {
        super(uri, component);
        this.type = type;
        this.parts = parts;
        WorkParts.Defaults defaults = parts.defaults();
        prefetch = defaults.prefetch();
        concurrency = defaults.concurrency();
        retries = defaults.retries();
        initialDelayMillis = defaults.initialDelayMillis();
        multiplier = defaults.multiplier();
        maxDelayMillis = defaults.maxDelayMillis();
        queueType = defaults.queueType();
        retryMode = parts.embedded() ? "in-place" : "queue";
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        List<String> problems = new ArrayList<>();
        if (!JobTypes.isValidName(type)) {
            problems.add("'" + type + "' is not a valid job type name (1 to 64 of a-z, 0-9 and '-', starting with a letter or digit)");
        }
        if (prefetch < 1 || concurrency < 1) {
            problems.add("prefetch and concurrency must be 1 or more");
        }
        if (!List.of("queue", "in-place").contains(retryMode)) {
            problems.add("retryMode must be queue or in-place, not '" + retryMode + "'");
        } else if (parts.embedded() && retryMode.equals("queue")) {
            problems.add("retryMode=queue needs RabbitMQ (the embedded development broker does not dead-letter expired messages)");
        }
        RetrySchedule schedule = null;
        try {
            schedule = new RetrySchedule(retries, initialDelayMillis, multiplier, maxDelayMillis);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        problems.addAll(Names.problems("queue", queue));
        problems.addAll(Names.problems("exchange", exchange));
        QueueOptions options = queueOptions();
        problems.addAll(options.problems(parts.embedded()));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Job type '" + type + "' (" + getEndpointUri() + "): " + String.join("; ", problems));
        }
        WorkConsumer consumer = new WorkConsumer(this, processor, schedule, options);
        configureConsumer(consumer);
        return consumer;
    }

    /** A second route claiming the type is refused by the consumer, naming the route that has it. */
    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("warren:work:" + type + " is where a job type's route starts (from:); "
                + "to submit a job use warren:submit:" + type);
    }

    QueueOptions queueOptions() {
        return new QueueOptions(queueType, messageTtl, maxLength, maxLengthBytes, overflow, lazy, singleActiveConsumer,
                deliveryLimit, QueueOptions.versionFor(queueType, queueVersion, parts.defaults().queueVersion()));
    }

    String type() {
        return type;
    }

    String queue() {
        return queue;
    }

    String exchange() {
        return exchange;
    }

    WorkParts parts() {
        return parts;
    }

    int prefetch() {
        return prefetch;
    }

    int concurrency() {
        return concurrency;
    }

    boolean retryQueues() {
        return retryMode.equals("queue");
    }

    public void setPrefetch(int prefetch) {
        this.prefetch = prefetch;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public void setRetries(int retries) {
        this.retries = retries;
    }

    public void setInitialDelayMillis(long initialDelayMillis) {
        this.initialDelayMillis = initialDelayMillis;
    }

    public void setMultiplier(double multiplier) {
        this.multiplier = multiplier;
    }

    public void setMaxDelayMillis(long maxDelayMillis) {
        this.maxDelayMillis = maxDelayMillis;
    }

    public void setRetryMode(String retryMode) {
        this.retryMode = retryMode;
    }

    public void setQueueType(String queueType) {
        this.queueType = queueType;
    }

    public void setQueueVersion(Integer queueVersion) {
        this.queueVersion = queueVersion;
    }

    public void setMessageTtl(Long messageTtl) {
        this.messageTtl = messageTtl;
    }

    public void setMaxLength(Long maxLength) {
        this.maxLength = maxLength;
    }

    public void setMaxLengthBytes(Long maxLengthBytes) {
        this.maxLengthBytes = maxLengthBytes;
    }

    public void setOverflow(String overflow) {
        this.overflow = overflow;
    }

    public void setLazy(boolean lazy) {
        this.lazy = lazy;
    }

    public void setSingleActiveConsumer(boolean singleActiveConsumer) {
        this.singleActiveConsumer = singleActiveConsumer;
    }

    public void setDeliveryLimit(Integer deliveryLimit) {
        this.deliveryLimit = deliveryLimit;
    }

    public void setQueue(String queue) {
        this.queue = queue;
    }

    public void setExchange(String exchange) {
        this.exchange = exchange;
    }
}
