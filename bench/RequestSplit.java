import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a single-job request's time goes, from a loopback capture (bench/request-split.sh): each
 * job's request in, its publish out to the broker, the broker's confirm in, and the 202 out, joined
 * by the job id (in the 202's body and in the published message's header frame). The times are
 * those of the packets on the wire, so a stage includes the waits for a CPU of the threads
 * involved, and none of the load program's own.
 *
 * <p>A confirm names its message by the channel's publish count since confirm.select; a capture
 * that starts on a running warren has missed the first ones, so the count's offset per channel is
 * the one that puts the most jobs in order (publish, then confirm, then 202).
 *
 *   java bench/RequestSplit.java CAPTURE.pcap HTTP_PORT AMQP_PORT [SKIP_SECONDS]
 *
 * Requests made in the first SKIP_SECONDS (default 0) after the first request are left out, as the
 * pacer leaves out its first seconds. The capture's missed segments and resynchronisations are
 * printed: a missed publish would shift its channel's count. "Slow" is over 25 ms, the target for the accept latency's p99.
 */
public class RequestSplit {

    /** Streams read from inside a frame and dropped until a packet started one (one per stream is the capture's start). */
    private static int resyncs;

    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");

    record Publish(long seq, double at, String id) {
    }

    /** One channel of one publisher connection: its publishes, and when each tag was confirmed. */
    static final class Channel {
        final List<Publish> publishes = new ArrayList<>();
        final Map<Long, Double> confirmedAt = new HashMap<>();
        long count;
        long lastTag;
        long firstTag = -1;
        long publishedBeforeFirstConfirm;
        long awaitingHeader = -1;
        double awaitingAt;
    }

    public static void main(String[] args) throws Exception {
        int httpPort = Integer.parseInt(args[1]);
        int amqpPort = Integer.parseInt(args[2]);
        double skip = args.length > 3 ? Double.parseDouble(args[3]) : 0;
        double slow = 0.025;
        double firstRequest = -1;
        int gaps = 0;
        Map<Integer, Double> requestAt = new HashMap<>();
        Map<String, double[]> http = new HashMap<>(); // id -> {request in, response out}
        Map<String, ByteArrayOutputStream> streams = new HashMap<>();
        Map<String, Channel> channels = new HashMap<>();
        Map<String, Long> nextSeq = new HashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(args[0]), 1 << 20))) {
            byte[] header = new byte[24];
            in.readFully(header);
            ByteBuffer gh = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
            boolean nanos = gh.getInt(0) == 0xa1b23c4d;
            int link = gh.getInt(20);
            int linkHeader = link == 1 ? 14 : link == 113 ? 16 : 0;
            byte[] record = new byte[16];
            while (true) {
                try {
                    in.readFully(record);
                } catch (EOFException e) {
                    break;
                }
                ByteBuffer rh = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
                double at = Integer.toUnsignedLong(rh.getInt(0)) + Integer.toUnsignedLong(rh.getInt(4)) / (nanos ? 1e9 : 1e6);
                byte[] packet = new byte[rh.getInt(8)];
                in.readFully(packet);
                ByteBuffer p = ByteBuffer.wrap(packet);
                int ip = linkHeader;
                if (packet.length < ip + 20 || (packet[ip] >> 4) != 4 || packet[ip + 9] != 6) {
                    continue;
                }
                int ipEnd = Math.min(packet.length, ip + (p.getShort(ip + 2) & 0xffff)); // without any link-layer padding
                int tcp = ip + (packet[ip] & 15) * 4;
                int from = p.getShort(tcp) & 0xffff;
                int to = p.getShort(tcp + 2) & 0xffff;
                long seq = Integer.toUnsignedLong(p.getInt(tcp + 4));
                int data = tcp + ((packet[tcp + 12] >> 4) & 15) * 4;
                int length = ipEnd - data;
                if (length <= 0) {
                    continue;
                }
                // a retransmission carries bytes already seen: keep only what is new; bytes never
                // seen (a segment the capture missed) are counted, as they may hide a publish
                String direction = from + ">" + to;
                Long expected = nextSeq.get(direction);
                if (expected != null) {
                    long ahead = (seq - expected) & 0xffffffffL;
                    if (ahead > 0x7fffffffL) {
                        long seen = (expected - seq) & 0xffffffffL;
                        if (seen >= length) {
                            continue;
                        }
                        data += (int) seen;
                        length -= (int) seen;
                        seq = expected;
                    } else if (ahead > 0) {
                        gaps++;
                    }
                }
                nextSeq.put(direction, (seq + length) & 0xffffffffL);
                if (to == httpPort && startsWith(packet, data, "POST")) {
                    if (firstRequest < 0) {
                        firstRequest = at;
                    }
                    requestAt.put(from, at);
                } else if (from == httpPort && startsWith(packet, data, "HTTP/1.1")) {
                    Double asked = requestAt.remove(to);
                    Matcher id = JOB_ID.matcher(new String(packet, data, length, StandardCharsets.ISO_8859_1));
                    if (asked != null && asked >= firstRequest + skip && id.find()) {
                        http.put(id.group(), new double[] {asked, at});
                    }
                } else if (from == amqpPort || to == amqpPort) {
                    boolean toBroker = to == amqpPort;
                    int client = toBroker ? from : to;
                    ByteArrayOutputStream stream = streams.computeIfAbsent(direction, d -> new ByteArrayOutputStream());
                    stream.write(packet, data, length);
                    byte[] bytes = stream.toByteArray();
                    int used = frames(bytes, toBroker, client, at, channels);
                    stream.reset();
                    stream.write(bytes, used, bytes.length - used);
                }
            }
        }
        List<double[]> jobs = join(channels, http); // {request, publish, confirm, response}
        System.out.printf("requests=%d jobs_split=%d capture_gaps=%d resyncs=%d%n", http.size(), jobs.size(), gaps, resyncs);
        print("request_in_to_publish_out", jobs, 0, 1);
        print("publish_out_to_confirm_in", jobs, 1, 2);
        print("confirm_in_to_response_out", jobs, 2, 3);
        print("request_in_to_response_out", jobs, 0, 3);
        List<double[]> slowJobs = jobs.stream().filter(j -> j[3] - j[0] > slow).toList();
        System.out.printf("over_%.0f_ms=%d (%.1f%%); where their time went:%n", slow * 1000, slowJobs.size(),
                jobs.isEmpty() ? 0 : 100.0 * slowJobs.size() / jobs.size());
        print("  request_in_to_publish_out", slowJobs, 0, 1);
        print("  publish_out_to_confirm_in", slowJobs, 1, 2);
        print("  confirm_in_to_response_out", slowJobs, 2, 3);
    }

    private static boolean startsWith(byte[] packet, int at, String text) {
        if (packet.length - at < text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (packet[at + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Reads the whole AMQP frames in bytes; returns how many bytes they took. */
    private static int frames(byte[] bytes, boolean toBroker, int client, double at, Map<String, Channel> channels) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int at0 = 0;
        while (bytes.length - at0 >= 8) {
            int type = bytes[at0] & 0xff;
            int number = b.getShort(at0 + 1) & 0xffff;
            long size = Integer.toUnsignedLong(b.getInt(at0 + 3));
            if ((type != 1 && type != 2 && type != 3 && type != 8) || size > (1 << 20)) {
                resyncs++;
                return bytes.length; // the capture began inside a frame (or the protocol header): wait for a packet that starts one
            }
            if (bytes.length - at0 < size + 8) {
                return at0;
            }
            if ((bytes[(int) (at0 + 7 + size)] & 0xff) != 0xCE) {
                resyncs++;
                return bytes.length;
            }
            String key = client + "/" + number;
            Channel channel = channels.computeIfAbsent(key, k -> new Channel());
            int payload = at0 + 7;
            if (type == 1 && size >= 4) {
                int classId = b.getShort(payload) & 0xffff;
                int method = b.getShort(payload + 2) & 0xffff;
                if (toBroker && classId == 85 && method == 10) { // confirm.select: a channel (re)opened, tags count from here
                    Channel fresh = new Channel();
                    fresh.firstTag = 0;
                    channels.put(key, fresh);
                } else if (toBroker && classId == 60 && method == 40) { // basic.publish
                    channel.count++;
                    channel.awaitingHeader = channel.count;
                    channel.awaitingAt = at;
                    if (channel.firstTag < 0) {
                        channel.publishedBeforeFirstConfirm++;
                    }
                } else if (!toBroker && classId == 60 && method == 80) { // basic.ack: a confirm
                    long tag = b.getLong(payload + 4);
                    boolean multiple = (bytes[payload + 12] & 1) != 0;
                    if (channel.firstTag < 0) {
                        channel.firstTag = tag;
                    }
                    for (long t = multiple ? Math.max(channel.lastTag + 1, tag - 100_000) : tag; t <= tag; t++) {
                        channel.confirmedAt.putIfAbsent(t, at);
                    }
                    channel.lastTag = Math.max(channel.lastTag, tag);
                }
            } else if (type == 2 && toBroker && channel.awaitingHeader > 0) {
                Matcher id = JOB_ID.matcher(new String(bytes, payload, (int) size, StandardCharsets.ISO_8859_1));
                if (id.find()) {
                    channel.publishes.add(new Publish(channel.awaitingHeader, channel.awaitingAt, id.group()));
                }
                channel.awaitingHeader = -1;
            }
            at0 += (int) size + 8;
        }
        return at0;
    }

    /** Each job seen whole, with each channel's tag offset the one that orders the most jobs. */
    private static List<double[]> join(Map<String, Channel> channels, Map<String, double[]> http) {
        List<double[]> jobs = new ArrayList<>();
        for (Channel channel : channels.values()) {
            if (channel.publishes.isEmpty() || channel.firstTag < 0) {
                continue;
            }
            long best = 0;
            int bestOrdered = -1;
            // messages in flight when the capture began may be confirmed first (then the offset is
            // above the first tag seen), or publishes seen may be confirmed first (below it)
            long lowest = Math.max(0, channel.firstTag - channel.publishedBeforeFirstConfirm - 2_000);
            for (long offset = lowest; offset <= channel.firstTag + 2_000; offset++) {
                int ordered = 0;
                for (int i = 0; i < channel.publishes.size(); i += Math.max(1, channel.publishes.size() / 500)) {
                    if (inOrder(channel, channel.publishes.get(i), offset, http) != null) {
                        ordered++;
                    }
                }
                if (ordered > bestOrdered) {
                    bestOrdered = ordered;
                    best = offset;
                }
            }
            System.out.printf("channel offset=%d ordered=%d of %d sampled%n", best, bestOrdered,
                (channel.publishes.size() + Math.max(1, channel.publishes.size() / 500) - 1) / Math.max(1, channel.publishes.size() / 500));
            for (Publish publish : channel.publishes) {
                double[] job = inOrder(channel, publish, best, http);
                if (job != null) {
                    jobs.add(job);
                }
            }
        }
        return jobs;
    }

    private static double[] inOrder(Channel channel, Publish publish, long offset, Map<String, double[]> http) {
        double[] exchange = http.get(publish.id());
        Double confirmed = channel.confirmedAt.get(publish.seq() + offset);
        if (exchange == null || confirmed == null || confirmed < publish.at() || confirmed > exchange[1] || publish.at() < exchange[0]) {
            return null;
        }
        return new double[] {exchange[0], publish.at(), confirmed, exchange[1]};
    }

    private static void print(String name, List<double[]> jobs, int from, int to) {
        double[] ms = jobs.stream().mapToDouble(j -> (j[to] - j[from]) * 1000).sorted().toArray();
        if (ms.length == 0) {
            System.out.println(name + ": none");
            return;
        }
        System.out.printf("%s: p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f max_ms=%.1f%n", name, at(ms, .5), at(ms, .9), at(ms, .99), ms[ms.length - 1]);
    }

    private static double at(double[] sorted, double p) {
        return sorted[(int) ((sorted.length - 1) * p)];
    }
}
