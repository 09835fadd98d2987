package io.mpreg.consensus;

/**
 * A monotonic time source in nanoseconds, injected so that the same protocol code runs on a virtual clock in
 * simulation. Only differences between readings are meaningful.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Ticker {

    /** The current reading, in nanoseconds. */
    long nanos();

    /** The JVM's monotonic clock. */
    static Ticker system() {
        return System::nanoTime;
    }
}
