package io.mpreg.it.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A node's wall clock in a {@link Simulation}: the virtual time since a fixed epoch plus this node's offset, which a
 * clock jump changes (forward or back). The monotonic clock of the node's loop never jumps.
 *
 * @since 0.3.0
 */
public final class SimClock extends Clock {
    /** The wall time at the start of every run. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final Simulation sim;
    private long offsetNanos;

    public SimClock(Simulation sim) {
        this.sim = sim;
    }

    /** Moves this clock by {@code nanos} (negative: back). */
    public void jump(long nanos) {
        offsetNanos += nanos;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a simulated clock is always UTC, asked for " + zone);
    }

    @Override
    public Instant instant() {
        return START.plusNanos(sim.now() + offsetNanos);
    }
}
