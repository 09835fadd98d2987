package io.mpreg.api.spi.fault;

import io.mpreg.api.Vote;

/**
 * A detector's state for one round.
 *
 * <p>This is on the vote hot path: {@link #onVote} must not allocate when it finds nothing, and must not block.
 * It sees every vote of a voter of the round while the round is open, including retransmissions and votes from a
 * voter already suspected. An exception thrown here is counted and reported by the coordinator, and this watch is
 * not called again for the round.
 *
 * @since 0.1.0
 */
public interface RoundWatch {

    /**
     * Inspects one vote.
     *
     * @param voterIndex the voter's index in {@link RoundView#voters()}
     * @param vote       the vote, from that voter, for this round
     * @return a suspicion with its evidence, or {@code null} if the vote raises none; report a given voter at most
     *         once per round
     */
    Suspicion onVote(int voterIndex, Vote vote);
}
