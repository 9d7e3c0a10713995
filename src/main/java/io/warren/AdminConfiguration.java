package io.warren;

import io.warren.broker.BrokerInUse;
import io.warren.broker.JobTopology;
import io.warren.deadletter.DeadLetters;
import io.warren.ops.AuditControl;
import io.warren.ops.QueueAdmin;
import io.warren.status.JobQueries;
import io.warren.store.JobReads;
import io.warren.store.JobTransitions;
import io.warren.types.JobTypes;
import io.warren.ops.TypeControl;
import io.warren.types.TypePauses;
import io.warren.ops.EndpointsDocument;
import io.warren.security.UserEndpoints;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/** What the admin API's routes call: job status, dead letters, queues, job types, the audit switch. */
@Configuration
public class AdminConfiguration implements CamelConfiguration {

    /** GET /api/v1/openapi-endpoints.json */
    @BindToRegistry(lazy = true)
    public EndpointsDocument endpointsDocument(UserEndpoints endpoints) {
        return new EndpointsDocument(endpoints, "v1");
    }

    @BindToRegistry(lazy = true)
    public JobQueries jobQueries(JobReads reads) {
        JobQueries queries = new JobQueries();
        queries.setReads(reads);
        return queries;
    }

    @BindToRegistry(lazy = true)
    public DeadLetters deadLetters(JobReads reads, JobTransitions transitions) {
        DeadLetters deadLetters = new DeadLetters();
        deadLetters.setReads(reads);
        deadLetters.setTransitions(transitions);
        return deadLetters;
    }

    /** Queue admin; queue details from the management API when one is configured (never for the embedded broker). */
    @BindToRegistry(lazy = true)
    public QueueAdmin queueAdmin(CachingConnectionFactory factory, JobTopology topology, JobTypes types, BrokerInUse broker, JobTransitions transitions,
                                 @PropertyInject(value = "warren.rabbitmq.management-url", defaultValue = "") String managementUrl) {
        return new QueueAdmin(factory, topology, types, broker.address(),
                broker.isEmbedded() || managementUrl.isBlank() ? null : managementUrl.trim(), transitions);
    }

    @BindToRegistry(lazy = true)
    public TypeControl typeControl(JobTypes types, TypePauses pauses) {
        TypeControl control = new TypeControl();
        control.setJobTypes(types);
        control.setPauses(pauses);
        return control;
    }

    @BindToRegistry(lazy = true)
    public AuditControl auditControl() {
        return new AuditControl();
    }
}
