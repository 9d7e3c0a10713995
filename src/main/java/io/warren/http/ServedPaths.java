package io.warren.http;

import org.apache.camel.Processor;

/**
 * Told of every path warren's platform-http serves, as each consumer starts and stops: a route
 * file's {@code platform-http:} route, a REST DSL operation, warren's own API, and the consumer
 * inside each {@code warren:http} route. The guard learns from it who serves what.
 */
public interface ServedPaths {

    /**
     * Before the route is added to the server; throwing keeps it out.
     *
     * @param servedBy the route's id, or a name of its own for a consumer that is no route's (warren:http's inner one)
     * @param source   where the route was read from (a file's location), null when unknown
     * @param path     as the server matches it ({name} templates, a trailing * for all below it)
     * @param methods  the methods it restricts itself to, comma-separated; null or blank: every method
     * @param processor what the consumer hands its requests to
     */
    void serving(String servedBy, String source, String path, String methods, Processor processor);

    void stopped(String servedBy);
}
