package io.mpreg.federation.internal.delivery;

import io.mpreg.federation.internal.Counters;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimeoutsTest {
    private static final DeliveryOptions LEFT_TO_NODE = DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE);

    @Test
    void theCallsOwnTimeoutWinsThenTheFixedDefaultThenTheDerivedOne() {
        Counters counters = new Counters();
        Timeouts derived = new Timeouts(null, counters);
        assertEquals(Duration.ofSeconds(7), derived.resolve(LEFT_TO_NODE.withTimeout(Duration.ofSeconds(7))));
        assertEquals(Duration.ofSeconds(3), new Timeouts(Duration.ofSeconds(3), counters).resolve(LEFT_TO_NODE));
        assertEquals(DeliveryOptions.DEFAULT_TIMEOUT, derived.resolve(LEFT_TO_NODE), "too few samples yet");
        for (int i = 0; i < 99; i++) {
            counters.recordAckLatency(Duration.ofMillis(2).toNanos());
        }
        assertEquals(DeliveryOptions.DEFAULT_TIMEOUT, derived.current(), "99 samples are not enough");
        counters.recordAckLatency(Duration.ofMillis(2).toNanos());
        assertEquals(Duration.ofSeconds(5), derived.current(), "10 x 2 ms is below the 5 s floor");
        for (int i = 0; i < 100; i++) {
            counters.recordAckLatency(Duration.ofSeconds(2).toNanos());
        }
        Duration tenP99 = counters.ackLatency(99).multipliedBy(10);
        assertEquals(tenP99, derived.current(), "10 x p99 inside the bounds");
        assertEquals(true, tenP99.compareTo(Duration.ofSeconds(19)) > 0 && tenP99.compareTo(Duration.ofSeconds(21)) < 0,
                tenP99.toString());
        for (int i = 0; i < 1000; i++) {
            counters.recordAckLatency(Duration.ofSeconds(60).toNanos());
        }
        assertEquals(Duration.ofSeconds(120), derived.current(), "capped at 120 s");
    }
}
