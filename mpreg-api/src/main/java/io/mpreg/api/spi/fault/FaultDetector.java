package io.mpreg.api.spi.fault;

/**
 * Watches consensus rounds for faulty voters. One detector serves every round of a coordinator: {@link #watch} is
 * called when a round opens and returns the per-round state.
 *
 * <p>Threading: {@code watch} and the returned {@link RoundWatch} are called from the coordinator's event loop
 * only, never concurrently for one round. A detector shared between coordinators must make {@code watch}
 * thread-safe (the default one is stateless).
 *
 * @since 0.1.0
 */
public interface FaultDetector {

    /**
     * Starts watching {@code round}.
     *
     * @return the round's watch, never null
     */
    RoundWatch watch(RoundView round);
}
