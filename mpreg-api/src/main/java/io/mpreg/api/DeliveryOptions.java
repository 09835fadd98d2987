package io.mpreg.api;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * How one message is to be delivered. Start from {@link #of(DeliveryGuarantee)} and adjust with the
 * {@code with...} methods; every instance is validated on construction.
 *
 * @param guarantee          the delivery guarantee
 * @param targets            the target clusters, sorted; empty means every cluster the sending node knows
 * @param timeout            how long the sender waits for the outcome (the round's or the retries' deadline); positive,
 *                           or {@link #NODE_DEFAULT_TIMEOUT} (zero) for the sending node's default
 * @param threshold          the share of the targets' total weight that must vote yes ({@link DeliveryGuarantee#GLOBAL_QUORUM})
 * @param byzantineTolerance f, the number of Byzantine clusters tolerated ({@link DeliveryGuarantee#BYZANTINE_QUORUM}); 0 or more
 * @param requiredAcks       subscriber acknowledgements that complete a {@link DeliveryGuarantee#QUORUM} delivery; 1 or more
 * @param redundancy         distinct routes each {@link DeliveryGuarantee#BROADCAST} copy takes; 1 or more
 * @param requireAll         whether a broadcast succeeds only if every target succeeded (else a majority suffices)
 * @since 0.1.0
 */
public record DeliveryOptions(DeliveryGuarantee guarantee, Set<ClusterId> targets, Duration timeout, Threshold threshold,
                              int byzantineTolerance, int requiredAcks, int redundancy, boolean requireAll) {
    /**
     * Zero: "the sending node's default timeout" — fixed by its builder, or derived from the latencies it observes
     * (see {@code FederationNodeBuilder.defaultTimeout}). What {@link #of} uses.
     */
    public static final Duration NODE_DEFAULT_TIMEOUT = Duration.ZERO;

    /** The default timeout a node starts with: 30 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public DeliveryOptions {
        if (guarantee == null) {
            throw new IllegalArgumentException("delivery guarantee must not be null");
        }
        if (targets == null || targets.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("targets must be a set of cluster ids without null, got " + targets);
        }
        targets = Collections.unmodifiableSortedSet(new TreeSet<>(targets));
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive (or zero for the node's default), got "
                    + timeout);
        }
        if (threshold == null) {
            throw new IllegalArgumentException("threshold must not be null");
        }
        if (byzantineTolerance < 0) {
            throw new IllegalArgumentException("byzantine tolerance f must be >= 0, got " + byzantineTolerance);
        }
        if (requiredAcks < 1) {
            throw new IllegalArgumentException("requiredAcks must be >= 1, got " + requiredAcks);
        }
        if (redundancy < 1) {
            throw new IllegalArgumentException("redundancy must be >= 1, got " + redundancy);
        }
    }

    /**
     * The defaults for {@code guarantee}: every known cluster, the node's default timeout, threshold 2/3, f = 1, one required
     * ack, redundancy 1, require all.
     */
    public static DeliveryOptions of(DeliveryGuarantee guarantee) {
        return new DeliveryOptions(guarantee, Set.of(), NODE_DEFAULT_TIMEOUT, Threshold.TWO_THIRDS, 1, 1, 1, true);
    }

    public DeliveryOptions withTargets(ClusterId... clusters) {
        return withTargets(Arrays.asList(clusters));
    }

    public DeliveryOptions withTargets(Collection<ClusterId> clusters) {
        if (clusters == null) {
            throw new IllegalArgumentException("targets must not be null");
        }
        return new DeliveryOptions(guarantee, new TreeSet<>(clusters), timeout, threshold, byzantineTolerance,
                requiredAcks, redundancy, requireAll);
    }

    /** With timeout {@code newTimeout}: positive; {@link #NODE_DEFAULT_TIMEOUT} for the node's default. */
    public DeliveryOptions withTimeout(Duration newTimeout) {
        return new DeliveryOptions(guarantee, targets, newTimeout, threshold, byzantineTolerance, requiredAcks,
                redundancy, requireAll);
    }

    public DeliveryOptions withThreshold(Threshold newThreshold) {
        return new DeliveryOptions(guarantee, targets, timeout, newThreshold, byzantineTolerance, requiredAcks,
                redundancy, requireAll);
    }

    public DeliveryOptions withByzantineTolerance(int f) {
        return new DeliveryOptions(guarantee, targets, timeout, threshold, f, requiredAcks, redundancy, requireAll);
    }

    public DeliveryOptions withRequiredAcks(int acks) {
        return new DeliveryOptions(guarantee, targets, timeout, threshold, byzantineTolerance, acks, redundancy,
                requireAll);
    }

    public DeliveryOptions withRedundancy(int routes) {
        return new DeliveryOptions(guarantee, targets, timeout, threshold, byzantineTolerance, requiredAcks, routes,
                requireAll);
    }

    public DeliveryOptions withRequireAll(boolean all) {
        return new DeliveryOptions(guarantee, targets, timeout, threshold, byzantineTolerance, requiredAcks,
                redundancy, all);
    }
}
