package io.warren.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    @Test
    void delaysGrowByTheMultiplierUpToTheCap() {
        RetrySchedule schedule = new RetrySchedule(5, 1000, 2, 5000);
        assertEquals(List.of(1000L, 2000L, 4000L, 5000L, 5000L),
                List.of(schedule.delayAfter(1), schedule.delayAfter(2), schedule.delayAfter(3), schedule.delayAfter(4),
                        schedule.delayAfter(5)));
        assertEquals(List.of(1000L, 2000L, 4000L, 5000L), schedule.tiers(), "one retry queue per distinct delay");
    }

    @Test
    void retriesCountAfterTheFirstAttempt() {
        RetrySchedule schedule = new RetrySchedule(3, 100, 2, 1000);
        assertTrue(schedule.retriesAfter(3));
        assertFalse(schedule.retriesAfter(4));
        assertEquals(List.of(), new RetrySchedule(0, 100, 2, 1000).tiers());
    }

    @Test
    void nonsenseIsRefusedWithTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RetrySchedule(3, 100, 0.5, 1000));
        assertTrue(e.getMessage().contains("multiplier=0.5"), e.getMessage());
    }
}
