package io.mpreg.consensus;

import io.mpreg.api.LatencyBuckets;
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

    @Test
    void fixedBucketsCountEachValueUnderEveryBoundAtOrAboveIt() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(25_000); // exactly on the first bound: counted under it (le means at most)
        h.record(25_001);
        h.record(3_000_000);
        h.record(61_000_000_000L); // above every bound: in the count only (+Inf)
        LatencyBuckets b = h.buckets();
        assertEquals(20, b.upperBoundsNanos().size());
        assertEquals(25_000L, b.upperBoundsNanos().get(0));
        assertEquals(60_000_000_000L, b.upperBoundsNanos().get(19));
        assertEquals(1L, b.cumulativeCounts().get(0));
        assertEquals(2L, b.cumulativeCounts().get(1), "25.001 us is under 50 us");
        assertEquals(2L, b.cumulativeCounts().get(6), "3 ms is not under 2.5 ms");
        assertEquals(3L, b.cumulativeCounts().get(7), "3 ms is under 5 ms");
        assertEquals(3L, b.cumulativeCounts().get(19));
        assertEquals(4, b.count());
        assertEquals(25_000L + 25_001L + 3_000_000L + 61_000_000_000L, b.sumNanos());
        assertEquals(LatencyBuckets.empty().upperBoundsNanos(), b.upperBoundsNanos(), "the same bounds everywhere");
        assertEquals(0, LatencyBuckets.empty().count());
    }
}
