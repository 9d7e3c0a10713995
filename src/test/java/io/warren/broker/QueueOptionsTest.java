package io.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueOptionsTest {

    @Test
    void optionsBecomeRabbitMqArguments() {
        QueueOptions quorum = new QueueOptions("quorum", 60000L, 1000L, null, "reject-publish", false, true, 5);
        assertEquals(List.of(), quorum.problems(false));
        assertEquals(Map.of("x-queue-type", "quorum", "x-message-ttl", 60000L, "x-max-length", 1000L,
                "x-overflow", "reject-publish", "x-single-active-consumer", true, "x-delivery-limit", 5), quorum.arguments());
        assertEquals(Map.of("x-queue-mode", "lazy"),
                new QueueOptions("classic", null, null, null, null, true, false, null).arguments());
        assertEquals(Map.of(), QueueOptions.DEFAULTS.arguments());
    }

    @Test
    void everyProblemIsNamed() {
        List<String> problems = new QueueOptions("quorm", -1L, null, null, "drop-tail", false, false, 3).problems(false);
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("queueType must be classic or quorum, not 'quorm'"), problems.toString());
        assertTrue(problems.get(1).contains("messageTtl"), problems.toString());
        assertTrue(problems.get(2).contains("overflow"), problems.toString());
        assertTrue(problems.get(3).contains("deliveryLimit needs queueType=quorum"), problems.toString());
        assertTrue(new QueueOptions("quorum", null, null, null, null, true, false, null).problems(false).get(0).contains("lazy"));
    }

    @Test
    void theEmbeddedBrokerTakesTheDefaultsOnly() {
        assertEquals(List.of(), QueueOptions.DEFAULTS.problems(true));
        assertTrue(new QueueOptions("quorum", null, null, null, null, false, false, null).problems(true).get(0)
                .contains("embedded development broker"));
    }
}
