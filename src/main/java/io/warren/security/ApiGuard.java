package io.warren.security;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * In front of every route of the HTTP server: finds the role a request needs (AccessPolicy), checks
 * the credential (Authorization: Bearer, X-API-Key, or Basic), the role and the rate limit, and
 * answers 401, 403 or 429 in warren's JSON error shape before any route runs. The principal's name
 * goes on as X-Warren-Principal; a client's own X-Warren-Principal is removed.
 */
public class ApiGuard implements Handler<RoutingContext> {

    public static final String PRINCIPAL_HEADER = "X-Warren-Principal";

    /** Who made the request a route is handling, for logs and histories ("anonymous" with security off). */
    public static String principalOf(org.apache.camel.Exchange exchange) {
        String who = exchange.getMessage().getHeader(PRINCIPAL_HEADER, String.class);
        return who == null ? "anonymous" : who;
    }

    private final AccessPolicy policy;
    private final Credentials credentials;
    private final RateLimiter rateLimiter;

    public ApiGuard(AccessPolicy policy, Credentials credentials, RateLimiter rateLimiter) {
        this.policy = policy;
        this.credentials = credentials;
        this.rateLimiter = rateLimiter;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.request().headers().remove(PRINCIPAL_HEADER);
        Optional<Role> required = policy.required(ctx.request().method().name(), ctx.normalizedPath());
        if (required.isEmpty()) {
            ctx.next();
            return;
        }
        String authorization = ctx.request().getHeader("Authorization");
        if (authorization != null && authorization.strip().regionMatches(true, 0, "Basic ", 0, 6)) {
            // PBKDF2 is slow on purpose: verify off the event loop, holding the body meanwhile
            ctx.request().pause();
            ctx.vertx().<Principal>executeBlocking(() -> authenticate(ctx), false).onComplete(result -> {
                ctx.request().resume();
                if (result.succeeded()) {
                    authorize(ctx, result.result(), required.get());
                } else {
                    refuse(ctx, result.cause().getMessage());
                }
            });
            return;
        }
        try {
            authorize(ctx, authenticate(ctx), required.get());
        } catch (Credentials.Refused e) {
            refuse(ctx, e.getMessage());
        }
    }

    private void authorize(RoutingContext ctx, Principal principal, Role required) {
        if (!principal.may(required)) {
            deny(ctx, 403, "forbidden", "Credential '" + principal.name() + "' lacks the role "
                    + required.name().toLowerCase() + " needed here");
            return;
        }
        long wait = rateLimiter.secondsToWait(principal.name());
        if (wait > 0) {
            ctx.response().putHeader("Retry-After", String.valueOf(wait));
            deny(ctx, 429, "rate_limited", "Too many requests for credential '" + principal.name() + "'; retry later");
            return;
        }
        ctx.request().headers().set(PRINCIPAL_HEADER, principal.name());
        ctx.next();
    }

    private static void refuse(RoutingContext ctx, String why) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"warren\", Basic realm=\"warren\"");
        deny(ctx, 401, "unauthorized", why);
    }

    private Principal authenticate(RoutingContext ctx) throws Credentials.Refused {
        String apiKey = ctx.request().getHeader("X-API-Key");
        String authorization = ctx.request().getHeader("Authorization");
        if (apiKey != null) {
            return credentials.byApiKey(apiKey.strip());
        }
        if (authorization == null || authorization.isBlank()) {
            throw new Credentials.Refused("Credentials required: Authorization: Bearer <API key>, X-API-Key, or Basic");
        }
        String[] scheme = authorization.strip().split("\\s+", 2);
        if (scheme.length == 2 && scheme[0].equalsIgnoreCase("Bearer")) {
            return credentials.byApiKey(scheme[1].strip());
        }
        if (scheme.length == 2 && scheme[0].equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(scheme[1].strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Credentials.Refused("Malformed Basic credentials");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new Credentials.Refused("Malformed Basic credentials");
            }
            return credentials.byPassword(decoded.substring(0, colon), decoded.substring(colon + 1));
        }
        throw new Credentials.Refused("Unsupported Authorization scheme; use Bearer or Basic");
    }

    private static void deny(RoutingContext ctx, int status, String code, String message) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode());
    }
}
