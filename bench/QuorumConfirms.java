import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The broker alone, without warren: does a RabbitMQ cluster keep every message it confirmed when a
 * quorum queue's leader node dies? One publisher with confirms, on a node that stays up, sends N
 * persistent messages to a direct exchange bound to two quorum queues (like warren's work and
 * audit queues), each declared through another node so that it leads there;
 * bench/quorum-confirms.sh kills the first one's leader meanwhile. At the end both queues must hold
 * every confirmed message (there are no consumers).
 *   java -cp amqp-client.jar:slf4j-api.jar bench/QuorumConfirms.java PUBLISH_URI Q1_URI Q2_URI PREFIX N RATE
 * Prints: confirmed=C nacked=K queue1=Q1 queue2=Q2
 */
public class QuorumConfirms {

    public static void main(String[] args) throws Exception {
        String prefix = args[3];
        int n = Integer.parseInt(args[4]);
        int rate = Integer.parseInt(args[5]);
        for (int i = 1; i <= 2; i++) {
            // a quorum queue's first leader is the node its declaring connection is on
            try (Connection declaring = connect(args[i])) {
                Channel channel = declaring.createChannel();
                channel.exchangeDeclare(prefix + ".ex", "direct", true);
                channel.queueDeclare(prefix + ".q" + i, true, false, false, Map.of("x-queue-type", "quorum"));
                channel.queueBind(prefix + ".q" + i, prefix + ".ex", "k");
            }
        }
        System.out.println("declared; publishing");
        try (Connection connection = connect(args[0])) {
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            ConcurrentSkipListSet<Long> pending = new ConcurrentSkipListSet<>();
            AtomicLong confirmed = new AtomicLong();
            AtomicLong nacked = new AtomicLong();
            channel.addConfirmListener((tag, multiple) -> settle(pending, tag, multiple, confirmed),
                    (tag, multiple) -> settle(pending, tag, multiple, nacked));
            long start = System.nanoTime();
            byte[] body = new byte[100];
            for (int i = 0; i < n; i++) {
                pending.add(channel.getNextPublishSeqNo());
                channel.basicPublish(prefix + ".ex", "k", com.rabbitmq.client.MessageProperties.PERSISTENT_BASIC, body);
                long due = start + (long) i * 1_000_000_000L / rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                while (pending.size() > 1000) {
                    Thread.sleep(1);
                }
            }
            long deadline = System.currentTimeMillis() + 120_000;
            while (!pending.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(2000);
            System.out.printf("confirmed=%d nacked=%d unconfirmed=%d queue1=%d queue2=%d%n", confirmed.get(), nacked.get(),
                    pending.size(), channel.queueDeclarePassive(prefix + ".q1").getMessageCount(),
                    channel.queueDeclarePassive(prefix + ".q2").getMessageCount());
        }
    }

    private static Connection connect(String uri) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        factory.setAutomaticRecoveryEnabled(false);
        return factory.newConnection();
    }

    private static void settle(ConcurrentSkipListSet<Long> pending, long tag, boolean multiple, AtomicLong count) {
        if (multiple) {
            var upTo = pending.headSet(tag, true);
            count.addAndGet(upTo.size());
            upTo.clear();
        } else if (pending.remove(tag)) {
            count.incrementAndGet();
        }
    }
}
