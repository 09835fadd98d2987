package io.mpreg.consensus;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.RoundId;

import java.time.Duration;
import java.util.Set;

/**
 * What a round is opened with.
 *
 * @param id      the round's identity; unique among the engine's open rounds
 * @param digest  the digest of the message decided on; yes-votes for another digest do not count as yes
 * @param targets the voting clusters, each in the table (reuse one {@link VoterSet} for many rounds)
 * @param table   the weight table every voter must share
 * @param policy  how much yes-weight commits
 * @param timeout how long the round may stay open; positive
 * @since 0.1.0
 */
public record RoundSpec(RoundId id, Digest digest, VoterSet targets, WeightTable table, QuorumPolicy policy,
                        Duration timeout) {
    public RoundSpec {
        if (id == null || digest == null || targets == null || table == null || policy == null) {
            throw new IllegalArgumentException("round spec needs id, digest, targets, table and policy, got " + id
                    + ", " + digest + ", " + targets + ", " + table + ", " + policy);
        }
        try {
            targets.weightsIn(table);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("target of round " + id + ": " + e.getMessage(), e);
        }
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout of round " + id + " must be positive, got " + timeout);
        }
    }

    /** A spec for {@code targets} given as a set (builds a {@link VoterSet}; reuse one in hot paths). */
    public static RoundSpec of(RoundId id, Digest digest, Set<ClusterId> targets, WeightTable table,
                               QuorumPolicy policy, Duration timeout) {
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("round " + id + " needs at least one target cluster, got " + targets);
        }
        return new RoundSpec(id, digest, VoterSet.of(targets), table, policy, timeout);
    }
}
