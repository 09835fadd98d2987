package io.mpreg.consensus;

/**
 * Told of every decision of a {@link ConsensusEngine}, synchronously, on the thread that called the engine method
 * that caused it. The round is already closed when this runs; an exception thrown here propagates to that caller
 * and leaves the engine consistent.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DecisionListener {

    /** One round was decided. */
    void onDecision(Decision decision);
}
