package io.warren.types;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;

/** The job types that are live right now (a type is live while its worker route exists), and their routes. */
public class JobTypes {

    /** What a job type may be called: it becomes a routing key and part of queue names. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public static boolean isValidName(String type) {
        return type != null && NAME.matcher(type).matches();
    }

    private final Map<String, String> routeByType = new ConcurrentSkipListMap<>();
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();
    private final Map<String, String> queueTrouble = new ConcurrentHashMap<>();
    private final Map<String, String> invalidFiles = new ConcurrentSkipListMap<>();

    public void register(String type, String routeId) {
        routeByType.put(type, routeId);
    }

    public void unregister(String type) {
        routeByType.remove(type);
        queueTrouble.remove(type);
    }

    /** The type's work queue is missing and could not be declared again: why; null clears it. */
    public void queueTrouble(String type, String why) {
        putOrRemove(queueTrouble, type, why);
    }

    /** Why the type's work queue is missing, or null while it is there. */
    public String queueTroubleOf(String type) {
        return queueTrouble.get(type);
    }

    /** Types whose work queue is missing, with why: readiness is DOWN while there are any. */
    public Map<String, String> queueTroubles() {
        return Map.copyOf(queueTrouble);
    }

    public boolean isKnown(String type) {
        return routeByType.containsKey(type);
    }

    /** The worker route of a type, or null. */
    public String routeOf(String type) {
        return routeByType.get(type);
    }

    /** A disabled type's intake answers 503 (fleet command DISABLE); its workers go on. */
    public void disable(String type) {
        disabled.add(type);
    }

    public void enable(String type) {
        disabled.remove(type);
    }

    public boolean isDisabled(String type) {
        return disabled.contains(type);
    }

    /** A route file that did not load (null clears it): shown on GET /api/v1/types. */
    public void fileInvalid(String file, String why) {
        putOrRemove(invalidFiles, file, why);
    }

    /** File name -> why it did not load, sorted by name. */
    public Map<String, String> invalidFiles() {
        return Map.copyOf(invalidFiles);
    }

    /** Sorted. */
    public List<String> names() {
        return List.copyOf(routeByType.keySet());
    }

    private static void putOrRemove(Map<String, String> map, String key, String value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }
}
