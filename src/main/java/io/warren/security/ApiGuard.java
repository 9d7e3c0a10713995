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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiGuard.class);

    /** Who made the request a route is handling, for logs and histories ("anonymous" with security off). */
    public static String principalOf(org.apache.camel.Exchange exchange) {
        String who = exchange.getMessage().getHeader(PRINCIPAL_HEADER, String.class);
        return who == null ? "anonymous" : who;
    }

    private final AccessPolicy policy;
    private final Credentials credentials;
    private final RateLimiter rateLimiter;
    private final LoginThrottle throttle;

    public ApiGuard(AccessPolicy policy, Credentials credentials, RateLimiter rateLimiter, LoginThrottle throttle) {
        this.policy = policy;
        this.credentials = credentials;
        this.rateLimiter = rateLimiter;
        this.throttle = throttle;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ctx.request().headers().remove(PRINCIPAL_HEADER);
        Optional<Role> required = policy.required(ctx.request().method().name(), ctx.normalizedPath());
        if (required.isEmpty()) {
            ctx.next();
            return;
        }
        String conflict = conflictingCredentials(ctx);
        if (conflict != null) {
            deny(ctx, 400, "conflicting_credentials", conflict);
            return;
        }
        String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        String user = basicUser(ctx.request().getHeader("Authorization"));
        long wait = Math.max(throttle.secondsToWait("address " + address), user == null ? 0 : throttle.secondsToWait("user " + user));
        if (wait > 0) {
            ctx.response().putHeader("Retry-After", String.valueOf(wait));
            deny(ctx, 429, "too_many_failed_logins", "Too many failed logins from this address or for this user; retry later");
            return;
        }
        if (user != null) {
            // PBKDF2 is slow on purpose: verify off the event loop, holding the body meanwhile
            ctx.request().pause();
            ctx.vertx().<Principal>executeBlocking(() -> authenticate(ctx), false).onComplete(result -> {
                ctx.request().resume();
                if (result.succeeded()) {
                    authorize(ctx, result.result(), required.get());
                } else {
                    failed(ctx, address, user, result.cause().getMessage());
                }
            });
            return;
        }
        try {
            authorize(ctx, authenticate(ctx), required.get());
        } catch (Credentials.Refused e) {
            failed(ctx, address, null, e.getMessage());
        }
    }

    /** A refused credential counts against the client's address and, for Basic, the user name. */
    private void failed(RoutingContext ctx, String address, String user, String why) {
        if (throttle.failed("address " + address)) {
            LOG.warn("Failed logins from {} reached the limit: further attempts get 429 for a while", address);
        }
        if (user != null && throttle.failed("user " + user)) {
            LOG.warn("Failed logins for user '{}' reached the limit: further attempts get 429 for a while",
                    user.replaceAll("[^\\x20-\\x7E]", "?"));
        }
        refuse(ctx, why);
    }

    /** The user name of a Basic Authorization header, or null (not Basic, or malformed). */
    private static String basicUser(String authorization) {
        if (authorization == null || !authorization.strip().regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.strip().substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? "" : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return "";
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

    /** Two credentials in one request are ambiguous: which one is acting? None of them wins silently. */
    private static String conflictingCredentials(RoutingContext ctx) {
        var headers = ctx.request().headers();
        if (headers.getAll("Authorization").size() > 1 || headers.getAll("X-API-Key").size() > 1) {
            return "Send one Authorization or X-API-Key header, not several";
        }
        String apiKey = headers.get("X-API-Key");
        String authorization = headers.get("Authorization");
        if (apiKey != null && authorization != null && !authorization.strip().equals("Bearer " + apiKey.strip())) {
            return "The request carries two different credentials (Authorization and X-API-Key); send one";
        }
        return null;
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
