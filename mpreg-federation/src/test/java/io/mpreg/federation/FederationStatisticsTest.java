package io.mpreg.federation;

import io.mpreg.api.ClusterId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FederationStatisticsTest {

    private static FederationStatistics stats(long succeeded, long failed, long committed, long aborted,
                                              long byzantine, Duration ackP99, Duration decisionP99) {
        return new FederationStatistics(succeeded + failed, succeeded, failed, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                Duration.ZERO, ackP99, committed, aborted, byzantine, 0, 0, 0, Duration.ZERO, decisionP99,
                new TreeMap<>(byzantine == 0 ? Map.of() : Map.of(ClusterId.of("x"), byzantine)), new TreeMap<>(), 0, 0, 0,
                0, null, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void healthFollowsTheOperatorGuidesAlertLevels() {
        assertEquals(FederationStatistics.Health.HEALTHY, stats(0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO).health());
        FederationStatistics good = stats(96, 4, 96, 4, 0, Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertEquals(FederationStatistics.Health.HEALTHY, good.health(), "exactly at the limits is fine");
        assertEquals(0.96, good.consensusSuccessRate());
        FederationStatistics slow = stats(100, 0, 100, 0, 0, Duration.ofMillis(5001), Duration.ofMillis(10_001));
        assertEquals(FederationStatistics.Health.WARNING, slow.health());
        assertEquals(List.of("warning: consensus decision p99 10001 ms > 10 s",
                "warning: delivery latency p99 5001 ms > 5 s"), slow.healthReasons());
        FederationStatistics lossy = stats(94, 6, 100, 0, 0, Duration.ZERO, Duration.ZERO);
        assertEquals(FederationStatistics.Health.CRITICAL, lossy.health());
        assertEquals(List.of("critical: federation success rate 94.0 % < 95 %"), lossy.healthReasons());
        FederationStatistics byzantine = stats(100, 0, 100, 0, 2, Duration.ZERO, Duration.ZERO);
        assertEquals(List.of("critical: 2 Byzantine fault(s) detected {x=2}"), byzantine.healthReasons());
    }
}
