package io.warren.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.api.Job;
import io.warren.api.JobHandler;
import io.warren.api.JobProperties;
import io.warren.api.PermanentJobFailure;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class JobExecutionTest {

    private final DefaultCamelContext context = new DefaultCamelContext();

    @Test
    void handlerGetsThePayloadAndTheAttempt() throws Exception {
        AtomicReference<Job> seen = new AtomicReference<>();
        Exchange exchange = exchange("{\"n\": 5}");
        exchange.setProperty(JobProperties.ATTEMPT, 2);

        JobExecution.run(seen::set, exchange);

        assertEquals(5, seen.get().payload().get("n").asInt());
        assertEquals(3, seen.get().attempt());
        assertEquals(3, exchange.getProperty(JobProperties.ATTEMPT));
    }

    @Test
    void bodiesThatAreNotJsonObjectsFailPermanently() {
        for (String body : new String[] {"", "not json", "[1]", "42", "{\"a\": 1", "null"}) {
            assertThrows(PermanentJobFailure.class, () -> JobExecution.run(job -> { }, exchange(body)), body);
        }
    }

    @Test
    void failuresTheHandlerCallsPermanentAreWrappedOthersPassThrough() {
        JobHandler handler = new JobHandler() {
            @Override
            public void handle(Job job) {
                throw job.payload().has("bad") ? new IllegalArgumentException("bad input") : new IllegalStateException("later");
            }

            @Override
            public boolean isPermanent(Exception failure) {
                return failure instanceof IllegalArgumentException;
            }
        };
        PermanentJobFailure permanent = assertThrows(PermanentJobFailure.class,
                () -> JobExecution.run(handler, exchange("{\"bad\": true}")));
        assertTrue(permanent.getCause() instanceof IllegalArgumentException);
        assertThrows(IllegalStateException.class, () -> JobExecution.run(handler, exchange("{}")));
    }

    @Test
    void aPermanentFailureThrownByTheHandlerIsKeptAsIs() {
        PermanentJobFailure thrown = new PermanentJobFailure("no");
        assertSame(thrown, assertThrows(PermanentJobFailure.class, () -> JobExecution.run(job -> {
            throw thrown;
        }, exchange("{}"))));
    }

    private Exchange exchange(String body) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }
}
