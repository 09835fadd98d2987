package io.mpreg.federation.internal.round;

import io.mpreg.api.ClusterId;
import io.mpreg.api.RoundId;
import io.mpreg.api.SignedVote;
import io.mpreg.federation.internal.DedupWindow;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * The votes this cluster cast, so that a PREPARE sent again gets the very same vote, and what it has forgotten, so that
 * a PREPARE for a round it may have voted in and no longer remembers is refused instead of voted on afresh: a second,
 * different signed vote in one round proves its signer an equivocator, and an honest cluster must never sign one.
 *
 * <p>Votes leave by age or at capacity. Each coordinator numbers its rounds upward ({@link RoundNumbers}), so all that
 * has left is one number per coordinator: the highest round of it whose vote left. A round of that coordinator at or
 * below it is refused unless its vote is still here (a late round it never voted in is refused too: it costs that
 * round this cluster's vote, nothing more). A node without a durable log forgets everything at a restart: it refuses
 * the rounds numbered before it started ({@code floor}). With vote keys, only coordinators holding one are voted for,
 * so the forgotten numbers are one per cluster of the federation; without keys no vote proves anything, and the
 * numbers kept are bounded ({@value #COORDINATORS_KEPT}) instead. Loop-thread only.
 */
final class VoteMemory {
    static final int COORDINATORS_KEPT = 4_096;

    private final DedupWindow<RoundId, SignedVote> votes;
    private final Map<ClusterId, Long> forgottenUpTo = new HashMap<>();
    private final long floor;
    private final Set<ClusterId> keyed;

    /**
     * @param floor the lowest round number voted on unless remembered (0: none; a node without a log: its start)
     * @param keyed the coordinators with a vote key (empty: votes are not signed, any coordinator)
     */
    VoteMemory(long windowNanos, int capacity, LongSupplier clock, long floor, Set<ClusterId> keyed) {
        this.votes = new DedupWindow<>(windowNanos, capacity, clock, (round, vote, writtenAt) -> forgot(round));
        this.floor = floor;
        this.keyed = keyed;
    }

    /** This cluster's vote in {@code round}, if remembered. */
    SignedVote get(RoundId round) {
        return votes.get(round);
    }

    void put(RoundId round, SignedVote vote) {
        votes.put(round, vote);
    }

    /** Put back from the log, as written at {@code writtenAt} on the loop's clock. */
    void put(RoundId round, SignedVote vote, long writtenAt) {
        votes.put(round, vote, writtenAt);
    }

    /**
     * Why this cluster must not vote in {@code round}, whose vote it does not remember ({@link #get} said null), or
     * null if it may.
     */
    String refusal(RoundId round) {
        ClusterId coordinator = round.coordinator();
        if (!keyed.isEmpty() && !keyed.contains(coordinator)) {
            return "its coordinator " + coordinator + " has no vote key here";
        }
        if (round.sequence() < floor) {
            return "it was opened before this node started, and without a log this node does not know whether it "
                    + "voted in it";
        }
        Long upTo = forgottenUpTo.get(coordinator);
        if (upTo != null && round.sequence() <= upTo) {
            return "this cluster no longer remembers its votes in the rounds of " + coordinator + " up to #" + upTo
                    + " and may have voted in it";
        }
        return null;
    }

    /** A vote left the memory, or a snapshot said one had: the rounds of its coordinator up to it are refused. */
    void forgot(RoundId round) {
        forgottenUpTo.merge(round.coordinator(), round.sequence(), Math::max);
        if (forgottenUpTo.size() > COORDINATORS_KEPT && keyed.isEmpty()) {
            Iterator<ClusterId> it = forgottenUpTo.keySet().iterator();
            while (forgottenUpTo.size() > COORDINATORS_KEPT) { // unsigned votes prove nothing
                it.next();
                it.remove();
            }
        }
    }

    /**
     * Sees, for a snapshot, each vote remembered now (oldest first), then each coordinator's highest forgotten round.
     * In that order: seeing the votes first lets those past the window leave, so the forgotten numbers seen after
     * include theirs (the other order wrote a snapshot missing both the vote and its number, and the restarted node
     * voted afresh in that round).
     */
    void snapshot(DedupWindow.Visitor<RoundId, SignedVote> votes, BiConsumer<ClusterId, Long> forgotten) {
        this.votes.forEach(votes);
        forgottenUpTo.forEach(forgotten);
    }
}
