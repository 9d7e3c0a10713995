package io.warren.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warren.api.Job;
import io.warren.api.JobHandler;
import io.warren.api.JobHeaders;
import io.warren.api.PermanentJobFailure;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;

class JobExecutionTest {

    @Test
    void aJobCarriesThePayloadTheMetadataAndTheAttempt() throws Exception {
        Message message = MessageBuilder.withBody("{\"n\": 5}".getBytes(StandardCharsets.UTF_8)).setMessageId("j1")
                .setHeader(JobHeaders.CORRELATION_ID, "c1").setHeader(JobHeaders.ACCEPTED_AT, "2026-12-01T10:00:00Z").build();

        Job job = JobExecution.read(message, "echo", 3);

        assertEquals(5, job.payload().get("n").asInt());
        assertEquals("j1", job.id());
        assertEquals("echo", job.type());
        assertEquals("c1", job.correlationId());
        assertEquals(3, job.attempt());
        assertEquals("2026-12-01T10:00:00Z", job.acceptedAt().toString());
    }

    @Test
    void acceptanceTimesReadAsInstantParseReadsThem() {
        for (String text : new String[] {"2026-12-01T10:00:00Z", "2026-12-01T10:00:00.1Z", "2026-12-01T10:00:00.123Z",
                "2026-12-01T10:00:00.123456Z", "2026-12-01T23:59:59.123456789Z", "2024-02-29T00:00:00.000001Z",
                "+12026-12-01T10:00:00Z", "2026-12-01T10:00:00+01:00"}) {
            assertEquals(java.time.OffsetDateTime.parse(text).toInstant(), JobExecution.instant(text), text);
        }
        for (String text : new String[] {"2026-13-01T10:00:00Z", "2026-02-30T10:00:00Z",
                "2026-12-01T10:00:00.1234567890Z", "2026-12-01T1a:00:00Z", "yesterday", ""}) {
            assertEquals(null, JobExecution.instant(text), text);
        }
    }

    @Test
    void bodiesThatAreNotJsonObjectsFailPermanently() {
        for (String body : new String[] {"", "not json", "[1]", "42", "{\"a\": 1", "null"}) {
            Message message = MessageBuilder.withBody(body.getBytes(StandardCharsets.UTF_8)).build();
            assertThrows(PermanentJobFailure.class, () -> JobExecution.read(message, "echo", 1), body);
        }
    }

    @Test
    void failuresTheHandlerCallsPermanentAreWrappedOthersPassThrough() throws Exception {
        JobHandler handler = new JobHandler() {
            @Override
            public void handle(Job job) {
                throw job.payload().has("bad") ? new IllegalArgumentException("bad input") : new IllegalStateException("busy");
            }

            @Override
            public boolean isPermanent(Exception e) {
                return e instanceof IllegalArgumentException;
            }
        };
        PermanentJobFailure permanent = assertThrows(PermanentJobFailure.class, () -> JobExecution.run(handler, job("{\"bad\": true}")));
        assertTrue(permanent.getCause() instanceof IllegalArgumentException);
        assertThrows(IllegalStateException.class, () -> JobExecution.run(handler, job("{}")));
    }

    @Test
    void aPermanentFailureThrownByTheHandlerIsKeptAsIs() {
        PermanentJobFailure thrown = new PermanentJobFailure("no such customer");
        assertSame(thrown, assertThrows(PermanentJobFailure.class, () -> JobExecution.run(job -> {
            throw thrown;
        }, job("{}"))));
    }

    private static Job job(String json) throws PermanentJobFailure {
        return JobExecution.read(MessageBuilder.withBody(json.getBytes(StandardCharsets.UTF_8)).build(), "t", 1);
    }
}
