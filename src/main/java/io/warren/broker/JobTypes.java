package io.warren.broker;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** The job types that are live right now: a type is live while its worker route exists. */
public class JobTypes {

    private final Map<String, String> routeByType = new ConcurrentSkipListMap<>();

    public void register(String type, String routeId) {
        routeByType.put(type, routeId);
    }

    public void unregister(String type) {
        routeByType.remove(type);
    }

    public boolean isKnown(String type) {
        return routeByType.containsKey(type);
    }

    public List<String> names() {
        return List.copyOf(routeByType.keySet());
    }
}
