package io.warren.intake;

import io.warren.api.JobProperties;
import io.warren.publish.JobPublisher;
import io.warren.store.NewJobs;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * The intake's publish step, asynchronous: the job stored by {@link JobIntake} is published
 * ({@link JobPublisher#accept}) and the route goes on once it is accepted, without a thread
 * waiting for the confirm or the commit in between. It goes on where the HTTP consumer asked
 * ({@link JobProperties#REPLY_EXECUTOR}: the request's event loop, which writes the answer);
 * elsewhere on the thread that completed the job's acceptance.
 */
public class PublishAccepted extends AsyncProcessorSupport {

    private final JobPublisher publisher;

    public PublishAccepted(JobPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CompletableFuture<Void> accepted;
        try {
            accepted = publisher.accept(exchange.getProperty(JobProperties.STORED, NewJobs.Inserted.class));
        } catch (RuntimeException e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        BiConsumer<Void, Throwable> resume = (done, failure) -> {
            if (failure != null) {
                // the cause itself, as a synchronous step would have thrown it (the routes' onException match on it)
                exchange.setException(failure instanceof CompletionException wrapped && wrapped.getCause() != null
                        ? wrapped.getCause() : failure);
            }
            callback.done(false);
        };
        Executor resumeOn = exchange.getProperty(JobProperties.REPLY_EXECUTOR, Executor.class);
        if (resumeOn != null) {
            // the event loop refuses work once Vert.x closes: then the route goes on where it is
            accepted.whenCompleteAsync(resume, task -> {
                try {
                    resumeOn.execute(task);
                } catch (RejectedExecutionException closing) {
                    task.run();
                }
            });
        } else {
            accepted.whenComplete(resume);
        }
        return false;
    }
}
