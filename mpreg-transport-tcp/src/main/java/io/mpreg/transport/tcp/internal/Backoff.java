package io.mpreg.transport.tcp.internal;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Reconnect delays: {@code min * 2^(failures-1)} capped at {@code max}, then "equal jitter" (a uniform draw from the
 * upper half), so peers that lost each other at the same moment do not redial in lockstep. The jitter source is
 * seeded, so a given transport's sequence of delays is repeatable.
 */
final class Backoff {
    private final long minNanos;
    private final long maxNanos;
    private final SplittableRandom random;

    Backoff(Duration min, Duration max, long seed) {
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.random = new SplittableRandom(seed);
    }

    /** The delay before the next attempt after {@code failures} failed attempts in a row (0 after a good link). */
    synchronized long delayNanos(int failures) {
        int doublings = Math.max(0, Math.min(failures - 1, 62));
        long base = minNanos;
        for (int i = 0; i < doublings && base < maxNanos; i++) {
            base = base > maxNanos / 2 ? maxNanos : base * 2;
        }
        base = Math.min(base, maxNanos);
        long half = base / 2;
        return half + (half > 0 ? random.nextLong(half + 1) : 0);
    }
}
