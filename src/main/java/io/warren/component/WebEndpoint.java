package io.warren.component;

import io.warren.security.AccessPolicy;
import io.warren.security.Role;
import io.warren.security.UserEndpoints;
import java.util.List;
import java.util.Locale;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code from: warren:http:<path>?role=submit}: an HTTP endpoint of a route file, served by
 * platform-http on warren's port behind warren's guard. {@code role} is what a caller's credential
 * must have (submit, read or admin; admin when not given); {@code open} takes no credential and is
 * logged at start; {@code signed} takes none either but checks an HMAC-SHA256 signature of the body
 * with {@code signatureSecret} (GitHub's X-Hub-Signature-256 by default). Failures answer JSON like
 * the API; the endpoint is listed in /api/v1/openapi-endpoints.json.
 */
public class WebEndpoint extends DefaultEndpoint {

    private final String path;
    private final HttpParts parts;

    private String role = "admin";
    private String httpMethod = "POST";
    private String signatureSecret;
    private String signatureHeader = "X-Hub-Signature-256";

    WebEndpoint(String uri, Component component, String path, HttpParts parts) {
        super(uri, component);
        this.path = path;
        this.parts = parts;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (!path.startsWith("/") || AccessPolicy.warrensOwn(path)) {
            throw new IllegalArgumentException("warren:http:" + path + ": the path must start with / and lie outside "
                    + "warren's own /api, /ui and /observe");
        }
        if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS").contains(httpMethod)) {
            // one method: the guard asks for the role of the route serving the request's method (a
            // HEAD is served by the GET route: warren's HTTP front reroutes it)
            throw new IllegalArgumentException("warren:http:" + path + ": httpMethod must be one of GET, POST, PUT, PATCH, "
                    + "DELETE, OPTIONS, not '" + httpMethod + "'; a route per method serves several");
        }
        if (!List.of("submit", "read", "admin", "open", "signed").contains(role)) {
            throw new IllegalArgumentException("warren:http:" + path + ": role must be submit, read, admin, open or signed, "
                    + "not '" + role + "'");
        }
        if (role.equals("signed") == (signatureSecret == null || signatureSecret.isBlank())) {
            throw new IllegalArgumentException("warren:http:" + path + ": role=signed needs a signatureSecret, and a "
                    + "signatureSecret needs role=signed");
        }
        WebConsumer consumer = new WebConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("warren:http is where a route starts (from:); to call HTTP use the http component");
    }

    UserEndpoints.Endpoint registration(String route, String description) {
        Role needed = switch (role) {
            case "open", "signed" -> null;
            default -> Role.valueOf(role.toUpperCase(Locale.ROOT));
        };
        return new UserEndpoints.Endpoint(path, httpMethod, needed, role, route, description);
    }

    String path() {
        return path;
    }

    String role() {
        return role;
    }

    String httpMethod() {
        return httpMethod;
    }

    String signatureSecret() {
        return signatureSecret;
    }

    String signatureHeader() {
        return signatureHeader;
    }

    HttpParts parts() {
        return parts;
    }

    public void setRole(String role) {
        this.role = role;
    }

    public void setHttpMethod(String httpMethod) {
        this.httpMethod = httpMethod.toUpperCase(Locale.ROOT);
    }

    public void setSignatureSecret(String signatureSecret) {
        this.signatureSecret = signatureSecret;
    }

    public void setSignatureHeader(String signatureHeader) {
        this.signatureHeader = signatureHeader;
    }
}
