package io.mpreg.federation;

import io.mpreg.api.ClusterId;
import io.mpreg.api.RoundId;

import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A voted round this node coordinates, as it stands now.
 *
 * @param round     the round
 * @param answers   each target's state: YES, NO, WEIGHTS_MISMATCH, DEPARTED or WAITING
 * @param suspects  targets caught in a fault (conflicting votes) and excluded from the round
 * @param weights   each target's effective weight in this round
 * @param yesWeight the yes-weight counted so far
 * @param required  the yes-weight that commits
 * @param hasQuorum whether the yes-weight reaches it
 * @since 0.1.0
 */
public record RoundDiagnostics(RoundId round, SortedMap<ClusterId, String> answers, SortedSet<ClusterId> suspects,
                               SortedMap<ClusterId, Long> weights, long yesWeight, long required, boolean hasQuorum) {
    public RoundDiagnostics {
        answers = Collections.unmodifiableSortedMap(new TreeMap<>(answers));
        suspects = Collections.unmodifiableSortedSet(new TreeSet<>(suspects));
        weights = Collections.unmodifiableSortedMap(new TreeMap<>(weights));
    }
}
