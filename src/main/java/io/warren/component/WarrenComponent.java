package io.warren.component;

import io.warren.api.JobHandler;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code warren:} component, the stable names a route file uses (docs/routes.md):
 * {@code warren:work:<type>} consumes a job type's work queue with warren's bookkeeping, retries and
 * dead letters; {@code warren:handle:<bean>} runs a {@link JobHandler} bean on the job;
 * {@code warren:submit:<type>} submits a job as {@code POST /api/v1/jobs/<type>} does;
 * {@code warren:http:<path>} serves HTTP behind warren's guard with the role it names;
 * {@code warren:queue:<queue>} consumes any queue with batched acks, {@code warren:append:<file>}
 * appends to a file kept open (the audit route's, {@link QueueEndpoint}, {@link AppendEndpoint}). An option the
 * endpoint does not have fails the route with Camel's "Unknown parameters" error.
 */
public class WarrenComponent extends DefaultComponent {

    private static final String KINDS = "warren:work:<type>, warren:handle:<bean>, warren:submit:<type>, warren:http:<path>, "
            + "warren:queue:<queue> and warren:append:<file>";

    private final WorkParts work;
    private final SubmitParts submit;
    private final HttpParts http;

    public WarrenComponent(WorkParts work, SubmitParts submit, HttpParts http) {
        this.work = work;
        this.submit = submit;
        this.http = http;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        int colon = remaining.indexOf(':');
        String kind = colon < 0 ? remaining : remaining.substring(0, colon);
        String name = colon < 0 ? "" : remaining.substring(colon + 1);
        if (name.isBlank()) {
            throw new IllegalArgumentException("warren: endpoints are " + KINDS + "; '" + uri + "' names none");
        }
        Endpoint endpoint = switch (kind) {
            case "work" -> new WorkEndpoint(uri, this, name, work);
            case "submit" -> new SubmitEndpoint(uri, this, name, submit);
            case "http" -> new WebEndpoint(uri, this, name, http);
            case "queue" -> new QueueEndpoint(uri, this, name, work);
            case "append" -> new AppendEndpoint(uri, this, name);
            case "handle" -> new HandleEndpoint(uri, this, getCamelContext().getRegistry()
                    .lookupByNameAndType(name, JobHandler.class), name);
            default -> throw new IllegalArgumentException("Unknown warren: endpoint '" + kind + "' in " + uri + "; there are " + KINDS);
        };
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
