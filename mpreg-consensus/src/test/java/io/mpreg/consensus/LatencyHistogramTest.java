package io.mpreg.consensus;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencyHistogramTest {

    @Test
    void bucketsAreMonotoneAndWithinOnePart128() {
        SplittableRandom random = new SplittableRandom(5);
        int previous = -1;
        for (long v = 0; v < 100_000; v++) {
            int index = LatencyHistogram.index(v);
            assertTrue(index >= previous);
            previous = index;
            assertTrue(LatencyHistogram.highestIn(index) >= v);
        }
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong(Long.MAX_VALUE);
            long high = LatencyHistogram.highestIn(LatencyHistogram.index(v));
            assertTrue(high >= v && high - v <= v / 128, v + " -> " + high);
        }
        assertEquals(Long.MAX_VALUE, LatencyHistogram.highestIn(LatencyHistogram.index(Long.MAX_VALUE)));
    }

    @Test
    void percentilesMeanAndMax() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(Duration.ZERO, h.percentile(50));
        for (int i = 1; i <= 100; i++) {
            h.record(i * 1_000_000L);
        }
        assertEquals(100, h.count());
        assertEquals(Duration.ofNanos(50_500_000), h.mean());
        long p50 = h.percentile(50).toNanos();
        long p99 = h.percentile(99).toNanos();
        assertTrue(p50 >= 50_000_000 && p50 <= 50_000_000 + 50_000_000 / 128, "p50 " + p50);
        assertTrue(p99 >= 99_000_000 && p99 <= 99_000_000 + 99_000_000 / 128, "p99 " + p99);
        assertEquals(Duration.ofMillis(100), h.percentile(100));
        assertEquals(Duration.ofMillis(100), h.max());
    }
}
