package org.apache.camel.component.platform.http.vertx;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Opens two package-private helpers of Camel's platform-http consumer to warren's asynchronous one
 * (io.warren.http.AsyncHttpConsumer): the answer written exactly as Camel writes it, and the form
 * check that decides which requests Camel's own consumer keeps. In Camel's package for that only.
 */
public final class VertxReplies {

    private VertxReplies() {
    }

    /** The exchange's answer (or its exception) written to the response, as Camel 4.17's consumer does. */
    public static Future<Void> write(RoutingContext ctx, Exchange exchange, HeaderFilterStrategy headers, boolean muteExceptions) {
        return VertxPlatformHttpSupport.writeResponse(ctx, exchange, headers, muteExceptions);
    }

    /** A form post (url-encoded or multipart), whose fields Camel's consumer turns into headers. */
    public static boolean isForm(RoutingContext ctx) {
        return VertxPlatformHttpSupport.isFormUrlEncoded(ctx) || VertxPlatformHttpSupport.isMultiPartFormData(ctx);
    }
}
