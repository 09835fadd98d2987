package io.mpreg.api;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VectorClockTest {
    private static final ClusterId A = ClusterId.of("A");
    private static final ClusterId B = ClusterId.of("B");

    @Test
    void zeroEntriesAreNormalisedAway() {
        assertEquals(VectorClock.empty(), VectorClock.of(Map.of(A, 0L)));
        assertEquals(VectorClock.empty().hashCode(), VectorClock.of(Map.of(A, 0L)).hashCode());
        assertEquals(VectorClock.Order.EQUAL, VectorClock.of(Map.of(A, 0L)).compare(VectorClock.empty()));
        assertThrows(IllegalArgumentException.class, () -> VectorClock.of(Map.of(A, -1L)));
    }

    @Test
    void ordersAsDefined() {
        VectorClock a1 = VectorClock.empty().increment(A);
        VectorClock a1b1 = a1.increment(B);
        VectorClock b1 = VectorClock.empty().increment(B);
        assertEquals(VectorClock.Order.BEFORE, a1.compare(a1b1));
        assertEquals(VectorClock.Order.AFTER, a1b1.compare(a1));
        assertEquals(VectorClock.Order.CONCURRENT, a1.compare(b1));
        assertEquals(a1b1, a1.merge(b1));
        assertEquals(1, a1b1.get(B));
        assertEquals(0, a1.get(B));
    }

    private static VectorClock random(SplittableRandom r) {
        TreeMap<ClusterId, Long> m = new TreeMap<>();
        for (String c : new String[] {"A", "B", "C", "D"}) {
            m.put(ClusterId.of(c), (long) r.nextInt(3));
        }
        return VectorClock.of(m);
    }

    @TestFactory
    Stream<DynamicTest> laws() {
        return LongStream.range(0, 300).mapToObj(seed -> DynamicTest.dynamicTest("seed=" + seed, () -> {
            SplittableRandom r = new SplittableRandom(seed);
            VectorClock x = random(r);
            VectorClock y = random(r);
            VectorClock z = random(r);
            VectorClock.Order xy = x.compare(y);
            VectorClock.Order yx = y.compare(x);
            switch (xy) {
                case BEFORE -> assertEquals(VectorClock.Order.AFTER, yx);
                case AFTER -> assertEquals(VectorClock.Order.BEFORE, yx);
                default -> assertEquals(xy, yx);
            }
            assertEquals(xy == VectorClock.Order.EQUAL, x.equals(y));
            VectorClock m = x.merge(y);
            assertEquals(m, y.merge(x));
            assertEquals(x.merge(y).merge(z), x.merge(y.merge(z)));
            assertEquals(x, x.merge(x));
            for (VectorClock part : new VectorClock[] {x, y}) {
                VectorClock.Order o = part.compare(m);
                assertEquals(true, o == VectorClock.Order.BEFORE || o == VectorClock.Order.EQUAL, o.toString());
            }
            if (x.happenedBefore(y) && y.happenedBefore(z)) {
                assertEquals(VectorClock.Order.BEFORE, x.compare(z));
            }
            assertEquals(VectorClock.Order.BEFORE, x.compare(x.increment(ClusterId.of("E"))));
        }));
    }
}
