package io.warren;

import io.warren.component.PlatformHttpRoutes;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.warren.http.AsyncHttpEngine;
import io.warren.http.ContractErrors;
import io.warren.http.Drain;
import io.warren.http.ErrorResponse;
import io.warren.http.HttpFront;
import io.warren.http.HttpLimits;
import io.warren.http.HttpPort;
import io.warren.http.StaticResource;
import io.warren.security.UserEndpoints;
import io.warren.security.AccessPolicy;
import io.warren.security.ApiGuard;
import io.warren.security.Credentials;
import io.warren.security.LoginThrottle;
import io.warren.security.RateLimiter;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side: the port (checked free before anything else starts), the server's limits, the
 * access guard in front of every route, the error replies and the two static documents.
 */
@Configuration
public class HttpConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConfiguration.class);

    @PropertyInject("warren.http.host")
    private String host;
    @PropertyInject("warren.http.port")
    private int port;
    @PropertyInject("warren.http.idle-timeout-seconds")
    private int idleTimeoutSeconds;
    @PropertyInject("warren.http.request-timeout-seconds")
    private int requestTimeoutSeconds;
    @PropertyInject("warren.http.max-connections")
    private int maxConnections;
    @PropertyInject("warren.security.enabled")
    private boolean securityEnabled;
    @PropertyInject("warren.security.credentials-file")
    private String credentialsFile;
    @PropertyInject(value = "warren.security.api-keys", defaultValue = "")
    private String apiKeys;
    @PropertyInject("warren.security.metrics-open")
    private boolean metricsOpen;
    @PropertyInject("warren.security.rate-limit-per-second")
    private double ratePerSecond;
    @PropertyInject("warren.security.rate-limit-burst")
    private double rateBurst;
    @PropertyInject("warren.security.failed-logins-per-minute")
    private int failedLoginsPerMinute;

    @BindToRegistry(lazy = true)
    public HttpLimits httpLimits() {
        return new HttpLimits(idleTimeoutSeconds, requestTimeoutSeconds, maxConnections);
    }

    /**
     * platform-http's Vert.x instance takes its options from this bean: the connection limits, and no
     * classpath resolution. Warren serves no file through Vert.x (StaticResource reads the classpath
     * itself); resolving it would make a /tmp/vertx-cache-* folder at every start, which a killed
     * warren never removes.
     */
    @BindToRegistry(value = "vertxOptions", lazy = true)
    public VertxOptions vertxOptions(HttpLimits limits) {
        return limits.vertxOptions()
                .setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false).setFileCachingEnabled(false));
    }

    /**
     * platform-http's engine, with a consumer that does not hold a thread while a route waits for the
     * broker, and that tells the guard what each route serves.
     */
    @BindToRegistry("platform-http-engine")
    public AsyncHttpEngine platformHttpEngine(UserEndpoints endpoints, @PropertyInject("warren.routes.dir") String routesFolder) {
        return new AsyncHttpEngine(new PlatformHttpRoutes(endpoints, Path.of(routesFolder)));
    }

    /** The HTTP endpoints route files declare, and the role each needs. */
    @BindToRegistry(lazy = true)
    public UserEndpoints userEndpoints() {
        return new UserEndpoints();
    }

    @BindToRegistry(lazy = true)
    public ErrorResponse errorResponse() {
        return new ErrorResponse();
    }

    @BindToRegistry(lazy = true)
    public StaticResource openApiDocument() {
        return new StaticResource("/openapi.json", "application/json");
    }

    @BindToRegistry(lazy = true)
    public StaticResource dashboardPage() {
        return new StaticResource("/ui/index.html", "text/html; charset=utf-8");
    }

    @Override
    public void configure(CamelContext context) {
        HttpPort.requireFree(host, port);
        if (!securityEnabled) {
            LOG.warn("Security is OFF (warren.security.enabled=false): anyone who reaches port {} may submit jobs and administer warren", port);
        }
        // JSON for a path or method the API's OpenAPI document does not have (routes/api.yaml, route "api")
        context.addRoutePolicyFactory(new ContractErrors("api"));
        Drain drain = new Drain();
        context.getManagementStrategy().addEventNotifier(drain);
        context.getManagementStrategy().addEventNotifier(new HttpFront(securityEnabled ? apiGuard(Beans.get(context, UserEndpoints.class)) : null,
                Beans.get(context, HttpLimits.class), drain));
    }

    /** The access guard. Shows a first admin key once. */
    private ApiGuard apiGuard(UserEndpoints endpoints) {
        Path file = Path.of(credentialsFile);
        Credentials credentials = new Credentials(file, apiKeys.isBlank() ? null : apiKeys.trim());
        credentials.createAdminKeyIfNone().ifPresent(key -> System.out.println("""

                ==========================================================================
                 warren generated an admin API key. It is shown this once; only its hash
                 is kept (%s). Use it as: Authorization: Bearer <key>

                   %s

                 Create more with: java -jar warren.jar credentials add-key <name> <roles>
                ==========================================================================
                """.formatted(file, key)));
        return new ApiGuard(new AccessPolicy(metricsOpen, endpoints), credentials, new RateLimiter(ratePerSecond, rateBurst),
                new LoginThrottle(failedLoginsPerMinute, Duration.ofMinutes(1)));
    }
}
