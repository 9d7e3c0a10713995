package io.warren.broker;

import static io.warren.broker.BrokerChoice.Kind.EMBEDDED;
import static io.warren.broker.BrokerChoice.Kind.EXTERNAL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BrokerChoiceTest {

    @Test
    void autoPrefersAConfiguredUrlThenALocalRabbitThenTheEmbeddedBroker() {
        assertEquals(EXTERNAL, BrokerChoice.choose("auto", true, false));
        assertEquals(EXTERNAL, BrokerChoice.choose("auto", true, true));
        assertEquals(EXTERNAL, BrokerChoice.choose("auto", false, true));
        assertEquals(EMBEDDED, BrokerChoice.choose("auto", false, false));
    }

    @Test
    void externalAndEmbeddedAreNotSecondGuessed() {
        assertEquals(EXTERNAL, BrokerChoice.choose("external", false, false));
        assertEquals(EMBEDDED, BrokerChoice.choose("Embedded", true, true));
        assertThrows(IllegalArgumentException.class, () -> BrokerChoice.choose("rabbit", true, true));
    }
}
