import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples went (bench/profile.sh): by thread (numbers stripped, so a
 * pool counts as one), by the code a sample was in (its top frame's package, cut to three parts),
 * the busiest top frames, and the nearest frame outside the JDK and of warren's own code (which
 * library, and which step of warren, the time was spent under); then where memory was allocated
 * (jdk.ObjectAllocationSample, weighted by the bytes each sample stands for) and the garbage
 * collector's pauses (count, total, longest, by collection type), the usual cause of a latency tail.
 * Last, one thread's samples (the store's writer unless named; a pool by its name with numbers as #,
 * e.g. vert.x-worker-thread-#) by every method on their stacks,
 * each counted once a sample: how much of that thread a call and all it called took.
 *
 *   java bench/Profile.java RECORDING.jfr [TOP] [THREAD]
 */
public class Profile {

    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        String inside = args.length > 2 ? args[2] : "warren-db-writer";
        Map<String, Integer> under = new HashMap<>();
        int insideSamples = 0;
        Map<String, Integer> threads = new HashMap<>();
        Map<String, Integer> packages = new HashMap<>();
        Map<String, Integer> frames = new HashMap<>();
        Map<String, Integer> libraries = new HashMap<>();
        Map<String, Integer> warren = new HashMap<>();
        Map<String, Long> allocatingFrames = new HashMap<>();
        Map<String, Long> allocatingWarren = new HashMap<>();
        Map<String, Long> allocatedTypes = new HashMap<>();
        Map<String, long[]> pauses = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            String name = event.getEventType().getName();
            if (name.equals("jdk.GarbageCollection")) {
                long[] p = pauses.computeIfAbsent(event.getString("name"), k -> new long[3]);
                long micros = event.getDuration("sumOfPauses").toNanos() / 1000;
                p[0]++;
                p[1] += micros;
                p[2] = Math.max(p[2], micros);
                continue;
            }
            if (name.equals("jdk.ObjectAllocationSample") && event.getStackTrace() != null) {
                long weight = event.getLong("weight");
                allocatedTypes.merge(event.getClass("objectClass").getName(), weight, Long::sum);
                allocatingFrames.merge(nearest(event.getStackTrace(), t -> !t.startsWith("java.") && !t.startsWith("jdk.") && !t.startsWith("sun.")), weight, Long::sum);
                allocatingWarren.merge(nearest(event.getStackTrace(), t -> t.startsWith("io.warren.")), weight, Long::sum);
                continue;
            }
            if (!name.equals("jdk.ExecutionSample")) {
                continue;
            }
            samples++;
            String thread = event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName();
            String pool = thread == null ? "?" : thread.replaceAll("[0-9]+", "#");
            threads.merge(pool, 1, Integer::sum);
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            RecordedFrame frame = stack.getFrames().get(0);
            String type = frame.getMethod().getType().getName();
            frames.merge(type + "." + frame.getMethod().getName(), 1, Integer::sum);
            packages.merge(packageOf(type), 1, Integer::sum);
            libraries.merge(nearest(stack, t -> !t.startsWith("java.") && !t.startsWith("jdk.") && !t.startsWith("sun.")), 1, Integer::sum);
            warren.merge(nearest(stack, t -> t.startsWith("io.warren.")), 1, Integer::sum);
            if (inside.equals(thread) || inside.equals(pool)) {
                insideSamples++;
                stack.getFrames().stream().map(f -> f.getMethod().getType().getName().replaceAll(".*\\.", "") + "." + f.getMethod().getName())
                        .distinct().forEach(method -> under.merge(method, 1, Integer::sum));
            }
        }
        System.out.println("samples " + samples);
        print("threads", threads, samples, top);
        print("code (top frame's package)", packages, samples, top);
        print("top frames", frames, samples, top);
        print("nearest frame outside the JDK", libraries, samples, top);
        print("nearest frame of warren's own code", warren, samples, top);
        System.out.println(inside + ": " + insideSamples + " samples");
        print(inside + ", by method on the stack (counted once a sample)", under, insideSamples, top * 2);
        long allocated = allocatedTypes.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("allocated (sampled estimate) %d MB%n", allocated >> 20);
        printBytes("allocated types", allocatedTypes, top);
        printBytes("allocated under (nearest frame outside the JDK)", allocatingFrames, top);
        printBytes("allocated under (nearest frame of warren's own code)", allocatingWarren, top);
        System.out.println("-- garbage collector pauses");
        pauses.forEach((type, p) -> System.out.printf("%s: %d, %.1f ms in all, longest %.1f ms%n", type, p[0], p[1] / 1000.0, p[2] / 1000.0));
    }

    private static void printBytes(String title, Map<String, Long> bytes, int top) {
        long all = Math.max(1, bytes.values().stream().mapToLong(Long::longValue).sum());
        System.out.println("-- " + title);
        bytes.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("%5.1f%%  %6d MB  %s%n", 100.0 * e.getValue() / all, e.getValue() >> 20, e.getKey()));
    }

    /** The frame nearest the top of the stack whose class passes the test, as Class.method. */
    private static String nearest(RecordedStackTrace stack, java.util.function.Predicate<String> test) {
        for (RecordedFrame frame : stack.getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (test.test(type)) {
                return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
            }
        }
        return "(none)";
    }

    private static String packageOf(String type) {
        String[] parts = type.split("\\.");
        int keep = Math.min(3, parts.length - 1);
        return keep <= 0 ? type : String.join(".", List.of(parts).subList(0, keep));
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top) {
        System.out.println("-- " + title);
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> System.out.printf("%5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey()));
    }
}
