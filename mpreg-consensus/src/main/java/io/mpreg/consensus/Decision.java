package io.mpreg.consensus;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.RoundId;
import io.mpreg.api.spi.fault.Suspicion;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How a round ended. Made once per round, when it is decided.
 *
 * @param round          the round
 * @param outcome        commit or abort
 * @param reason         why it aborted; {@code null} exactly for a commit
 * @param acceptedBy     trusted voters whose yes (for the round's digest) was counted, in cluster order
 * @param refusedBy      voters that voted no, answered WEIGHTS_MISMATCH, departed or were excluded, with why
 * @param silent         voters that had not answered when the round was decided, in cluster order
 * @param faults         the suspicions raised in this round, in the order they were raised
 * @param yesWeight      the counted yes-weight at the decision
 * @param requiredWeight the yes-weight that would commit
 * @param totalWeight    the voters' total effective weight at the opening
 * @param elapsed        time from opening to decision
 * @since 0.1.0
 */
public record Decision(RoundId round, Outcome outcome, AbortReason reason, List<ClusterId> acceptedBy,
                       SortedMap<ClusterId, String> refusedBy, List<ClusterId> silent, List<Suspicion> faults,
                       long yesWeight, long requiredWeight, long totalWeight, Duration elapsed) {

    /** The two ways a round ends. */
    public enum Outcome { COMMIT, ABORT }

    public Decision {
        if (round == null || outcome == null || elapsed == null) {
            throw new IllegalArgumentException("decision needs round, outcome and elapsed time");
        }
        if ((outcome == Outcome.COMMIT) != (reason == null)) {
            throw new IllegalArgumentException("decision of " + round + ": an abort has a reason, a commit none; got "
                    + outcome + " with " + reason);
        }
        // List.copyOf returns an immutable list as it is, so the engine's lists are not copied again
        acceptedBy = List.copyOf(acceptedBy);
        silent = List.copyOf(silent);
        refusedBy = refusedBy.isEmpty() ? Collections.emptySortedMap()
                : Collections.unmodifiableSortedMap(new TreeMap<>(refusedBy));
        faults = List.copyOf(faults);
    }

    /** Whether the round committed. */
    public boolean committed() {
        return outcome == Outcome.COMMIT;
    }
}
