package io.warren;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/** What the configuration classes do at start: take a bean out of the registry, close it at stop. */
final class Beans {

    private Beans() {
    }

    /** The one bean of this type; creating it (and what it needs) now if it is lazy. */
    static <T> T get(CamelContext context, Class<T> type) {
        T bean = context.getRegistry().findSingleByType(type);
        if (bean == null) {
            throw new IllegalStateException("No single bean of type " + type.getName() + " in the registry");
        }
        return bean;
    }

    /** Closed when Camel stops, after the routes; resources registered later are closed first. */
    static void closeAtStop(CamelContext context, AutoCloseable resource) {
        try {
            addService(context, resource);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot register " + resource + " to be closed at stop", e);
        }
    }

    private static void addService(CamelContext context, AutoCloseable resource) throws Exception {
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                resource.close();
            }
        }, true, false);
    }
}
