package io.warren.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.GetResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings precedence: -D over environment over the working directory's file over the defaults. */
class SettingsIT {

    @Test
    void systemPropertyBeatsEnvironmentBeatsOperatorFileBeatsDefaults() throws Exception {
        try (WarrenProcess warren = WarrenProcess.create(List.of("echo.yaml"), Map.of());
             Amqp amqp = new Amqp(TestBroker.url())) {
            // the child runs in its data folder: this is "the application.properties in the working directory"
            Files.writeString(warren.data().resolve("application.properties"),
                    "warren.producer = from-file\nwarren.http.max-body-bytes = 100\n");
            warren.env("WARREN_PRODUCER", "from-env")
                    // the port is also given as -D by WarrenProcess: that one must win
                    .env("WARREN_HTTP_PORT", String.valueOf(WarrenProcess.freePort()));
            warren.launch();
            warren.awaitReady(); // reachable on the -D port

            String tap = warren.prefix() + ".tap";
            amqp.tap(tap, warren.jobsExchange(), "echo", null);
            try {
                assertEquals(202, warren.post("echo", "{}").statusCode());
                GetResponse[] copy = new GetResponse[1];
                Await.until("tap copy", Duration.ofSeconds(10), () -> (copy[0] = amqp.get(tap)) != null);
                assertEquals("from-env", copy[0].getProps().getHeaders().get("warren-producer").toString());
                assertEquals(413, warren.post("echo", "{\"pad\": \"" + "x".repeat(200) + "\"}").statusCode(),
                        "the operator's file overrides the 1 MiB default");
            } finally {
                amqp.deleteQueue(tap);
            }
        }
    }
}
