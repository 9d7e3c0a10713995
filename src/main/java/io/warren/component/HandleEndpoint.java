package io.warren.component;

import io.warren.api.Job;
import io.warren.api.JobHandler;
import io.warren.api.JobProperties;
import io.warren.worker.JobExecution;
import org.apache.camel.Component;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code to: warren:handle:<bean>} in a job's route: runs the {@link JobHandler} bean of that name
 * on the job being worked on. A handler that fails fails the attempt.
 */
public class HandleEndpoint extends DefaultEndpoint {

    private final JobHandler handler;

    HandleEndpoint(String uri, Component component, JobHandler handler, String name) {
        super(uri, component);
        if (handler == null) {
            throw new IllegalArgumentException("No JobHandler bean named '" + name + "' (declare it under beans: in a route "
                    + "file, with a type that implements io.warren.api.JobHandler)");
        }
        this.handler = handler;
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) throws Exception {
                Job job = exchange.getProperty(JobProperties.JOB, Job.class);
                if (job == null) {
                    throw new IllegalStateException("warren:handle runs a job's handler: use it in a route that starts "
                            + "from warren:work:<type>");
                }
                JobExecution.run(handler, job);
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("warren:handle is for to:, in a route from warren:work:<type>");
    }
}
