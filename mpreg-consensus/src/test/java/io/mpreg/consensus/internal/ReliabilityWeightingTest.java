package io.mpreg.consensus.internal;

import io.mpreg.api.ClusterId;
import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.weighting.ClusterRecord;
import io.mpreg.api.spi.weighting.WeightingStrategy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReliabilityWeightingTest {
    private static final ClusterId X = ClusterId.of("x");
    private static final long NEVER = ClusterRecord.NEVER;

    private static ClusterRecord afterEquivocation(long equivocations, long roundsSince) {
        return new ClusterRecord(10, 10, 0, equivocations, roundsSince, NEVER, 0);
    }

    @Test
    void trustFallsOnEquivocationAndRecoversLinearly() {
        WeightingStrategy w = new ReliabilityWeightingProvider().create(PluginOptions.NONE);
        assertEquals(1000, w.effectiveWeight(X, 1000, ClusterRecord.FRESH));
        assertEquals(0, w.effectiveWeight(X, 1000, afterEquivocation(1, 0)));
        assertEquals(50, w.effectiveWeight(X, 1000, afterEquivocation(1, 1)));
        assertEquals(500, w.effectiveWeight(X, 1000, afterEquivocation(1, 10)));
        assertEquals(1000, w.effectiveWeight(X, 1000, afterEquivocation(1, 20)));
        assertEquals(250, w.effectiveWeight(X, 1000, afterEquivocation(2, 10)), "a repeat offender recovers at half rate");
        assertEquals(1000, w.effectiveWeight(X, 1000, afterEquivocation(1, NEVER - 1)));
    }

    @Test
    void aMissedVoteHalvesTrustThenRecovers() {
        WeightingStrategy w = new ReliabilityWeightingProvider().create(PluginOptions.NONE);
        assertEquals(500, w.effectiveWeight(X, 1000, new ClusterRecord(5, 4, 1, 0, NEVER, 0, 0)));
        assertEquals(750, w.effectiveWeight(X, 1000, new ClusterRecord(5, 4, 1, 0, NEVER, 5, 0)));
    }

    @Test
    void aMissedVoteNeverMakesASmallWeightNothingButEquivocationDoes() {
        WeightingStrategy w = new ReliabilityWeightingProvider().create(PluginOptions.NONE);
        assertEquals(1, w.effectiveWeight(X, 1, new ClusterRecord(5, 4, 1, 0, NEVER, 0, 0)));
        assertEquals(1, w.effectiveWeight(X, 3, new ClusterRecord(5, 4, 1, 0, NEVER, 0, 0)));
        assertEquals(0, w.effectiveWeight(X, 1, afterEquivocation(1, 10)));
        assertEquals(0, w.effectiveWeight(X, 0, new ClusterRecord(5, 4, 1, 0, NEVER, 0, 0)));
        assertEquals(1, w.effectiveWeight(X, 1, afterEquivocation(1, 20)), "recovered in full");
    }

    @Test
    void withoutRecoveryAnEquivocatorStaysUntrusted() {
        WeightingStrategy w = new ReliabilityWeightingProvider()
                .create(PluginOptions.of("recovery-permille-per-round", "0"));
        assertEquals(0, w.effectiveWeight(X, 1000, afterEquivocation(1, 1_000_000)));
    }

    @Test
    void neverOverflowsAndRejectsBadOptions() {
        WeightingStrategy w = new ReliabilityWeightingProvider().create(PluginOptions.NONE);
        assertEquals(Long.MAX_VALUE / 1000 * 500 + Long.MAX_VALUE % 1000 * 500 / 1000,
                w.effectiveWeight(X, Long.MAX_VALUE, afterEquivocation(1, 10)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReliabilityWeightingProvider().create(PluginOptions.of("miss-trust-permille", "1001")));
        assertTrue(e.getMessage().contains("miss-trust-permille=1001"), e.getMessage());
        assertEquals(7, new StaticWeightingProvider().create(PluginOptions.NONE)
                .effectiveWeight(X, 7, afterEquivocation(3, 0)));
    }
}
