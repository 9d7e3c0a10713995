package io.warren.broker;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.regex.Pattern;

/** The job types that are live right now: a type is live while its worker route exists. */
public class JobTypes {

    /** What a job type may be called: it becomes a routing key and part of queue names. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public static boolean isValidName(String type) {
        return type != null && NAME.matcher(type).matches();
    }

    private final Set<String> live = new ConcurrentSkipListSet<>();

    public void register(String type) {
        live.add(type);
    }

    public void unregister(String type) {
        live.remove(type);
    }

    public boolean isKnown(String type) {
        return live.contains(type);
    }

    /** Sorted. */
    public List<String> names() {
        return List.copyOf(live);
    }
}
