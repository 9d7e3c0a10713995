package io.warren.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueOptionsTest {

    @Test
    void optionsBecomeRabbitMqArguments() {
        QueueOptions quorum = new QueueOptions("quorum", 60000L, 1000L, null, "reject-publish", false, true, 5, null);
        assertEquals(List.of(), quorum.problems(false));
        assertEquals(Map.of("x-queue-type", "quorum", "x-message-ttl", 60000L, "x-max-length", 1000L,
                "x-overflow", "reject-publish", "x-single-active-consumer", true, "x-delivery-limit", 5), quorum.arguments());
        assertEquals(Map.of("x-queue-mode", "lazy"),
                new QueueOptions("classic", null, null, null, null, true, false, null, null).arguments());
        assertEquals(Map.of(), QueueOptions.DEFAULTS.arguments());
    }

    @Test
    void everyProblemIsNamed() {
        List<String> problems = new QueueOptions("quorm", -1L, null, null, "drop-tail", false, false, 3, null).problems(false);
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("queueType must be classic or quorum, not 'quorm'"), problems.toString());
        assertTrue(problems.get(1).contains("messageTtl"), problems.toString());
        assertTrue(problems.get(2).contains("overflow"), problems.toString());
        assertTrue(problems.get(3).contains("deliveryLimit needs queueType=quorum"), problems.toString());
        assertTrue(new QueueOptions("quorum", null, null, null, null, true, false, null, null).problems(false).get(0).contains("lazy"));
    }

    @Test
    void aQueueVersionIsForClassicQueues() {
        QueueOptions v2 = new QueueOptions("classic", null, null, null, null, false, false, null, 2);
        assertEquals(List.of(), v2.problems(false));
        assertEquals(Map.of("x-queue-version", 2), v2.arguments());
        assertTrue(new QueueOptions("quorum", null, null, null, null, false, false, null, 2).problems(false).get(0)
                .contains("queueVersion is for classic queues"));
        assertTrue(new QueueOptions("classic", null, null, null, null, false, false, null, 3).problems(false).get(0)
                .contains("queueVersion must be 1 or 2, not 3"));
        assertTrue(v2.problems(true).get(0).contains("embedded development broker"));
    }

    @Test
    void theVersionSettingIsTheDefaultOfClassicRoutesOnly() {
        assertEquals(2, QueueOptions.versionFor("classic", null, 2), "a classic route that names none takes the setting's");
        assertEquals(1, QueueOptions.versionFor("classic", 1, 2), "its own wins");
        assertNull(QueueOptions.versionFor("quorum", null, 2), "a quorum route takes none from the setting");
        assertEquals(2, QueueOptions.versionFor("quorum", 2, null), "but keeps its own, which problems() then refuses");
        assertEquals(Map.of("x-queue-version", 2), QueueOptions.defaults(false, 2).arguments());
        assertEquals(Map.of("x-queue-type", "quorum"), QueueOptions.defaults(true, 2).arguments());
    }

    @Test
    void aQueueVersionSettingIsOneTwoOrEmpty() {
        assertNull(QueueOptions.version("warren.queue.version", " "));
        assertEquals(2, QueueOptions.version("warren.queue.version", "2"));
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> QueueOptions.version("warren.queue.version", "v2"));
        assertTrue(wrong.getMessage().contains("warren.queue.version must be 1, 2 or empty, not 'v2'"), wrong.getMessage());
    }

    @Test
    void theEmbeddedBrokerTakesTheDefaultsOnly() {
        assertEquals(List.of(), QueueOptions.DEFAULTS.problems(true));
        assertTrue(new QueueOptions("quorum", null, null, null, null, false, false, null, null).problems(true).get(0)
                .contains("embedded development broker"));
    }
}
