package io.warren.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobIdsTest {

    @Test
    void areVersion7WithTheTimeInFront() {
        long now = 1_795_000_000_000L;
        UUID id = JobIds.next(now);
        assertEquals(7, id.version());
        assertEquals(2, id.variant());
        assertEquals(now, id.getMostSignificantBits() >>> 16);
    }

    @Test
    void sortByAcceptanceTimeAndDoNotRepeat() {
        assertTrue(JobIds.next(1000).toString().compareTo(JobIds.next(1001).toString()) < 0);
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(JobIds.next(42)));
        }
    }
}
