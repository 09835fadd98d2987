package io.mpreg.consensus;

import io.mpreg.api.ClusterId;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The voting clusters of a round, sorted, with an open-addressing index from cluster to voter index so that a
 * vote finds its slot with one hash probe and one equality check. Immutable and thread-safe; build one per target
 * set and reuse it for every round over those targets (it also caches the configured weights of the last weight
 * table it was used with).
 *
 * @since 0.1.0
 */
public final class VoterSet {
    private final ClusterId[] voters;
    private final List<ClusterId> list;
    private final int[] slots;
    private final int mask;
    private volatile TableWeights cached;

    private record TableWeights(WeightTable table, long[] weights) {
    }

    private VoterSet(ClusterId[] sorted) {
        this.voters = sorted;
        this.list = List.of(sorted);
        int capacity = Integer.highestOneBit(Math.max(4, sorted.length * 2) - 1) << 1;
        this.slots = new int[capacity];
        this.mask = capacity - 1;
        for (int i = 0; i < sorted.length; i++) {
            int s = spread(sorted[i].hashCode()) & mask;
            while (slots[s] != 0) {
                s = (s + 1) & mask;
            }
            slots[s] = i + 1;
        }
    }

    /**
     * The set of {@code clusters}.
     *
     * @throws IllegalArgumentException if {@code clusters} is null, empty, or holds null
     */
    public static VoterSet of(Collection<ClusterId> clusters) {
        if (clusters == null || clusters.isEmpty() || clusters.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("a voter set needs at least one cluster and no null, got " + clusters);
        }
        ClusterId[] sorted = clusters.stream().distinct().sorted().toArray(ClusterId[]::new);
        return new VoterSet(sorted);
    }

    /** The set of {@code clusters}. */
    public static VoterSet of(ClusterId... clusters) {
        return of(Arrays.asList(clusters));
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /** How many voters. */
    public int size() {
        return voters.length;
    }

    /** The voter at {@code index} (cluster-id order). */
    public ClusterId get(int index) {
        return voters[index];
    }

    /** The voters in cluster-id order, immutable. */
    public List<ClusterId> asList() {
        return list;
    }

    /** Whether {@code cluster} is a voter. */
    public boolean contains(ClusterId cluster) {
        return indexOf(cluster) >= 0;
    }

    /** The index of {@code cluster}, or -1. Allocates nothing. */
    public int indexOf(ClusterId cluster) {
        int s = spread(cluster.hashCode()) & mask;
        int slot;
        while ((slot = slots[s]) != 0) {
            ClusterId candidate = voters[slot - 1];
            if (candidate == cluster || candidate.equals(cluster)) {
                return slot - 1;
            }
            s = (s + 1) & mask;
        }
        return -1;
    }

    /**
     * The configured weight of each voter in {@code table}, in voter order; shared, must not be modified.
     *
     * @throws IllegalArgumentException if a voter is not in the table
     */
    long[] weightsIn(WeightTable table) {
        TableWeights c = cached;
        if (c != null && c.table == table) {
            return c.weights;
        }
        long[] weights = table.weightsOf(voters);
        cached = new TableWeights(table, weights);
        return weights;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VoterSet v && Arrays.equals(voters, v.voters);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(voters);
    }

    @Override
    public String toString() {
        return list.toString();
    }
}
