package io.warren.component;

import com.rabbitmq.client.Channel;
import io.warren.worker.JobWorker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The acks of one consumer channel, batched. A job's ack waits until every job delivered before it
 * on the channel is settled; then one ack (multiple) covers them all. Jobs on a channel settle in
 * delivery order (its consumer runs them one at a time and their successes commit in order), so
 * the jobs of one commit share an ack, sent from {@code flusher} right after. Rejects and requeues
 * go at once, one by one: a multiple ack must never cover them. One ack per message took about a
 * sixth off the broker's own limit for warren's topology with 100 messages in flight
 * (bench/limit-patterns.sh). While the consumer stops,
 * acks go out on the settling thread (the consumer's, which waits for its job's commit then), so
 * that they reach the channel before the container closes it.
 */
final class ChannelAcks {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelAcks.class);

    private final Channel channel;
    private final Executor flusher;
    private final BooleanSupplier stopping;
    /** Delivered, not acked yet: delivery tag -> job id, and whether it may be acked. */
    private final TreeMap<Long, Unsettled> unsettled = new TreeMap<>();
    private boolean flushQueued;

    private static final class Unsettled {
        final String id;
        boolean ready;

        Unsettled(String id) {
            this.id = id;
        }
    }

    ChannelAcks(Channel channel, Executor flusher, BooleanSupplier stopping) {
        this.channel = channel;
        this.flusher = flusher;
        this.stopping = stopping;
    }

    /** Before the job runs: a later job's ack will not cover it until it is settled. */
    synchronized void delivered(long tag, String id) {
        unsettled.put(tag, new Unsettled(id));
    }

    void settle(long tag, String id, JobWorker.Ack how) {
        synchronized (this) {
            Unsettled job = unsettled.get(tag);
            if (how == JobWorker.Ack.ACK && job != null) {
                job.ready = true;
            } else {
                unsettled.remove(tag);
                send(tag, false, how, List.of(id)); // a reject or requeue, or a job not registered
            }
            if (stopping.getAsBoolean()) {
                flush();
                return;
            }
            if (flushQueued) {
                return;
            }
            flushQueued = true;
        }
        try {
            flusher.execute(this::flush);
        } catch (RejectedExecutionException stopped) {
            flush(); // the consumer stopped: no batching for the last ones
        }
    }

    /** One ack for the longest run of settled jobs at the head. */
    private synchronized void flush() {
        flushQueued = false;
        long upTo = -1;
        List<String> covered = new ArrayList<>();
        while (!unsettled.isEmpty() && unsettled.firstEntry().getValue().ready) {
            Map.Entry<Long, Unsettled> head = unsettled.pollFirstEntry();
            upTo = head.getKey();
            covered.add(head.getValue().id);
        }
        if (upTo >= 0) {
            send(upTo, covered.size() > 1, JobWorker.Ack.ACK, covered);
        }
    }

    private void send(long tag, boolean multiple, JobWorker.Ack how, List<String> ids) {
        try {
            switch (how) {
                case ACK -> channel.basicAck(tag, multiple);
                case REJECT -> channel.basicReject(tag, false);
                case REQUEUE -> channel.basicNack(tag, false, true);
            }
        } catch (IOException | RuntimeException e) {
            // the channel closed first: the broker delivers them again (a job's claim finds it done)
            ids.forEach(id -> LOG.info("Message {} could not be acknowledged ({}); the broker will deliver it again", id, e.getMessage()));
        }
    }
}
