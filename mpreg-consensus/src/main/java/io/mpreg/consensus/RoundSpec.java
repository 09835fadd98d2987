package io.mpreg.consensus;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.RoundId;

import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a round is opened with.
 *
 * @param id      the round's identity; unique among the engine's open rounds
 * @param digest  the digest of the message decided on; yes-votes for another digest do not count as yes
 * @param targets the voting clusters, each in the table; sorted
 * @param table   the weight table every voter must share
 * @param policy  how much yes-weight commits
 * @param timeout how long the round may stay open; positive
 * @since 0.1.0
 */
public record RoundSpec(RoundId id, Digest digest, SortedSet<ClusterId> targets, WeightTable table, QuorumPolicy policy,
                        Duration timeout) {
    public RoundSpec {
        if (id == null || digest == null || table == null || policy == null) {
            throw new IllegalArgumentException("round spec needs id, digest, table and policy, got " + id + ", "
                    + digest + ", " + table + ", " + policy);
        }
        if (targets == null || targets.isEmpty() || targets.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("round " + id + " needs at least one target cluster, got " + targets);
        }
        for (ClusterId target : targets) {
            if (!table.contains(target)) {
                throw new IllegalArgumentException("target " + target + " of round " + id + " is not in weight table v"
                        + table.version() + " " + table.asMap().keySet());
            }
        }
        targets = Collections.unmodifiableSortedSet(new TreeSet<>(targets));
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout of round " + id + " must be positive, got " + timeout);
        }
    }

    /** A spec for {@code targets} given as any set. */
    public static RoundSpec of(RoundId id, Digest digest, Set<ClusterId> targets, WeightTable table,
                               QuorumPolicy policy, Duration timeout) {
        return new RoundSpec(id, digest, targets == null ? null : new TreeSet<>(targets), table, policy, timeout);
    }
}
