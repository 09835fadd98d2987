package io.mpreg.api;

import java.util.List;

/**
 * A snapshot of durations counted under fixed upper bounds, cumulative as a Prometheus histogram wants them: entry
 * {@code i} of {@code cumulativeCounts} is how many values were at most {@code upperBoundsNanos[i]}, and
 * {@code count} is how many there were in all (the {@code +Inf} bucket). The bounds are the same on every node, so
 * the buckets of several nodes add up.
 *
 * @param upperBoundsNanos strictly increasing upper bounds, in nanoseconds
 * @param cumulativeCounts values at most each bound, never decreasing, none above {@code count}
 * @param count            values recorded
 * @param sumNanos         their sum, in nanoseconds
 * @since 0.5.0
 */
public record LatencyBuckets(List<Long> upperBoundsNanos, List<Long> cumulativeCounts, long count, long sumNanos) {
    /**
     * The bounds every node counts its latencies under, in nanoseconds: 1, 2.5 and 5 per decade from 25 µs to 10 s,
     * then 30 s and 60 s.
     */
    public static final List<Long> LATENCY_BOUNDS_NANOS = List.of(
            25_000L, 50_000L, 100_000L, 250_000L, 500_000L,
            1_000_000L, 2_500_000L, 5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L,
            100_000_000L, 250_000_000L, 500_000_000L, 1_000_000_000L, 2_500_000_000L, 5_000_000_000L,
            10_000_000_000L, 30_000_000_000L, 60_000_000_000L);

    public LatencyBuckets {
        upperBoundsNanos = List.copyOf(upperBoundsNanos);
        cumulativeCounts = List.copyOf(cumulativeCounts);
        if (upperBoundsNanos.size() != cumulativeCounts.size()) {
            throw new IllegalArgumentException(upperBoundsNanos.size() + " bounds but " + cumulativeCounts.size()
                    + " counts: one count per bound");
        }
        long previousBound = Long.MIN_VALUE;
        long previousCount = 0;
        for (int i = 0; i < upperBoundsNanos.size(); i++) {
            long bound = upperBoundsNanos.get(i);
            long c = cumulativeCounts.get(i);
            if (bound <= previousBound || c < previousCount || c > count) {
                throw new IllegalArgumentException("bounds must increase and counts must not decrease nor exceed "
                        + count + ": bound " + bound + " with count " + c + " at " + i);
            }
            previousBound = bound;
            previousCount = c;
        }
        if (count < 0 || sumNanos < 0) {
            throw new IllegalArgumentException("count " + count + " and sum " + sumNanos + " must not be negative");
        }
    }

    /** Nothing recorded, under the latency bounds every node uses. */
    public static LatencyBuckets empty() {
        return new LatencyBuckets(LATENCY_BOUNDS_NANOS, java.util.Collections.nCopies(LATENCY_BOUNDS_NANOS.size(), 0L),
                0, 0);
    }
}
