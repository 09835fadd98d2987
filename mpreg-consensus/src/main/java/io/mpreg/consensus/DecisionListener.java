package io.mpreg.consensus;

import io.mpreg.api.RoundId;

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

    /**
     * A vote that arrived after its round was decided proved a fault (for example: the second, conflicting vote of
     * an equivocating voter came in late). The decision stands; the suspect's record is charged for later rounds.
     */
    default void onLateFault(RoundId round, io.mpreg.api.spi.fault.Suspicion suspicion) {
    }
}
