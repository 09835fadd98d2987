package io.mpreg.consensus;

import io.mpreg.api.LatencyBuckets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A log-linear histogram of non-negative durations in nanoseconds: each power of two is split into 128 buckets, so
 * a reported percentile is within 1/128 (0.8 %) of a recorded value. Recording allocates nothing; the exact sum
 * and count are kept alongside, so {@link #mean()} is a real mean. Each value is also counted under fixed bounds
 * from 25 µs to 60 s ({@link #buckets()}), the same on every node, for Prometheus histograms that add up across a
 * federation (percentiles of one node do not).
 *
 * <p>Not thread-safe: one owner records and reads (the engine's event loop).
 *
 * @since 0.1.0
 */
public final class LatencyHistogram {
    private static final int SUB_BITS = 7;
    private static final int SUB = 1 << SUB_BITS;
    private static final int BUCKETS = 2 * SUB + (63 - SUB_BITS - 1) * SUB;

    /** The fixed upper bounds of {@link #buckets()} ({@link LatencyBuckets#LATENCY_BOUNDS_NANOS}). */
    private static final long[] BOUNDS = LatencyBuckets.LATENCY_BOUNDS_NANOS.stream().mapToLong(Long::longValue)
            .toArray();

    private final long[] counts = new long[BUCKETS];
    /** Values in (BOUNDS[i - 1], BOUNDS[i]]. */
    private final long[] fixed = new long[BOUNDS.length];
    private long count;
    private long sumNanos;
    private long maxNanos;

    /** Records one duration in nanoseconds; negative values are recorded as 0. */
    public void record(long nanos) {
        long v = Math.max(0, nanos);
        counts[index(v)]++;
        int b = Arrays.binarySearch(BOUNDS, v);
        b = b >= 0 ? b : -b - 1;
        if (b < BOUNDS.length) {
            fixed[b]++;
        }
        count++;
        sumNanos = sumNanos + v < 0 ? Long.MAX_VALUE : sumNanos + v;
        maxNanos = Math.max(maxNanos, v);
    }

    static int index(long v) {
        if (v < 2 * SUB) {
            return (int) v;
        }
        int shift = (63 - Long.numberOfLeadingZeros(v)) - SUB_BITS;
        return 2 * SUB + (shift - 1) * SUB + (int) ((v >>> shift) - SUB);
    }

    /** The highest value that lands in bucket {@code index}. */
    static long highestIn(int index) {
        if (index < 2 * SUB) {
            return index;
        }
        int shift = (index - 2 * SUB) / SUB + 1;
        long sub = (index - 2 * SUB) % SUB + SUB;
        return ((sub + 1) << shift) - 1;
    }

    /** How many values were recorded. */
    public long count() {
        return count;
    }

    /** The exact mean of the recorded values, zero if none. */
    public Duration mean() {
        return count == 0 ? Duration.ZERO : Duration.ofNanos(sumNanos / count);
    }

    /** The values counted under the fixed bounds (the same on every histogram), cumulative, with their sum. */
    public LatencyBuckets buckets() {
        List<Long> cumulative = new ArrayList<>(BOUNDS.length);
        long seen = 0;
        for (long inBucket : fixed) {
            seen += inBucket;
            cumulative.add(seen);
        }
        return new LatencyBuckets(LatencyBuckets.LATENCY_BOUNDS_NANOS, cumulative, count, sumNanos);
    }

    /** The largest recorded value. */
    public Duration max() {
        return Duration.ofNanos(maxNanos);
    }

    /**
     * The value at {@code percentile} (0 to 100): the smallest bucket bound below which at least that share of the
     * values lies, never above the maximum recorded. Zero if nothing was recorded.
     */
    public Duration percentile(double percentile) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], got " + percentile);
        }
        if (count == 0) {
            return Duration.ZERO;
        }
        long rank = Math.max(1, (long) Math.ceil(percentile / 100.0 * count));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Duration.ofNanos(Math.min(highestIn(i), maxNanos));
            }
        }
        return Duration.ofNanos(maxNanos);
    }
}
