package io.mpreg.federation.internal.log;

import java.time.Clock;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * Times in the log: the event loop's clock starts again with the process, so a time kept across a restart is written
 * as wall-clock epoch nanoseconds and converted back to the loop's clock on recovery.
 */
public final class LogTime {
    /** A time that never comes; it stays as it is both ways. */
    public static final long NEVER = Long.MAX_VALUE;
    private static final long REREAD_NANOS = 1_000_000;

    private final LongSupplier nanoClock;
    private final Clock wallClock;
    /** Wall-clock epoch nanoseconds minus loop-clock nanoseconds, as last read, and when on the loop's clock. */
    private long offset;
    private long offsetAt;
    private boolean offsetRead;

    public LogTime(LongSupplier nanoClock, Clock wallClock) {
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
    }

    /** Loop-clock time {@code nanos} as wall-clock epoch nanoseconds ({@link #NEVER} stays). */
    public long toWall(long nanos) {
        if (nanos == NEVER) {
            return NEVER;
        }
        return nanos + offset();
    }

    /** Wall-clock epoch nanoseconds as loop-clock time ({@link #NEVER} stays). */
    public long toLoop(long wallNanos) {
        if (wallNanos == NEVER) {
            return NEVER;
        }
        return wallNanos - offset();
    }

    /**
     * The difference of the two clocks, read again once a millisecond of the loop's clock has passed: recovery
     * converts millions of times, and reading the wall clock each time cost more than the conversion.
     */
    private long offset() {
        long now = nanoClock.getAsLong();
        if (!offsetRead || now - offsetAt >= REREAD_NANOS || now - offsetAt < 0) {
            offset = epochNanos(wallClock.instant()) - now;
            offsetAt = now;
            offsetRead = true;
        }
        return offset;
    }

    /** Now, on the loop's clock. */
    public long loopNow() {
        return nanoClock.getAsLong();
    }

    /** Now, as wall-clock epoch nanoseconds. */
    public long wallNow() {
        return epochNanos(wallClock.instant());
    }

    private static long epochNanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
