package io.mpreg.tck;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline, for tests that must not sleep a fixed time: polls {@code condition}
 * with a short back-off until it holds, and fails with a description of what was awaited (and the state seen
 * last) when the deadline passes.
 *
 * @since 0.1.0 (in {@code io.mpreg.it} before 0.3.0)
 */
public final class Await {
    private static final long MAX_PAUSE_NANOS = Duration.ofMillis(20).toNanos();

    private Await() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @param within    how long to wait at most
     * @param what      what is awaited, for the failure message
     * @param condition the condition, polled from the calling thread
     * @param state     the state to report when the deadline passes
     * @throws AssertionError if the deadline passes first
     */
    public static void until(Duration within, String what, BooleanSupplier condition, Supplier<?> state) {
        long deadline = System.nanoTime() + within.toNanos();
        long pause = 10_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("waited " + within.toMillis() + " ms for " + what + "; last state: "
                        + state.get());
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(MAX_PAUSE_NANOS, pause * 2);
        }
    }

    /** As {@link #until(Duration, String, BooleanSupplier, Supplier)} without a state report. */
    public static void until(Duration within, String what, BooleanSupplier condition) {
        until(within, what, condition, () -> "(not reported)");
    }
}
