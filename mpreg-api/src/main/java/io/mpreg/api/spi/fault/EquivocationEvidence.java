package io.mpreg.api.spi.fault;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Vote;

import java.util.List;

/**
 * Two votes of one voter in one round that say different things (verdict or digest): equivocation.
 *
 * @param first  the vote that arrived first
 * @param second the conflicting vote
 * @since 0.1.0
 */
public record EquivocationEvidence(Vote first, Vote second) implements Evidence {
    public EquivocationEvidence {
        if (first == null || second == null) {
            throw new IllegalArgumentException("equivocation evidence needs two votes, got " + first + ", " + second);
        }
        if (!first.conflictsWith(second)) {
            throw new IllegalArgumentException("votes " + first + " and " + second
                    + " do not prove equivocation: they need the same round and voter and a different verdict or digest");
        }
    }

    @Override
    public ClusterId accuses() {
        return first.voter();
    }

    @Override
    public List<Vote> votes() {
        return List.of(first, second);
    }

    @Override
    public String describe() {
        return first.voter() + " equivocated in round " + first.round() + ": " + first.verdict() + " for "
                + first.digest() + ", then " + second.verdict() + " for " + second.digest();
    }
}
