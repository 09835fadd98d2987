package io.mpreg.tck;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwaitTest {
    @Test
    void returnsOnceTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Await.until(Duration.ofSeconds(5), "three polls", () -> polls.incrementAndGet() >= 3);
        assertEquals(3, polls.get());
    }

    @Test
    void failsAtTheDeadlineWithWhatWasAwaited() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Await.until(Duration.ofMillis(30), "the impossible", () -> false, () -> "state=7"));
        assertTrue(e.getMessage().contains("for the impossible; last state: state=7"), e.getMessage());
    }
}
