package io.mpreg.transport.tcp.internal;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition with a deadline (this module cannot use mpreg-it's Await: mpreg-it depends on it). */
final class Conditions {
    private Conditions() {
    }

    static void await(Duration within, String what, BooleanSupplier condition, Supplier<?> state) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("waited " + within.toMillis() + " ms for " + what + "; state: " + state.get());
            }
            LockSupport.parkNanos(2_000_000);
        }
    }
}
