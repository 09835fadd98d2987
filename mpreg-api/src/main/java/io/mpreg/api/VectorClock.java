package io.mpreg.api;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable vector clock over clusters. Zero entries are dropped on construction, so {@code {A:0}} equals
 * {@code {}}; counters are never negative. Entries iterate in cluster-id order.
 *
 * @param entries the non-zero counters per cluster
 * @since 0.1.0
 */
public record VectorClock(SortedMap<ClusterId, Long> entries) {
    private static final VectorClock EMPTY = new VectorClock(new TreeMap<>());

    /** How two clocks relate. */
    public enum Order {
        /** Every counter is less than or equal to the other's, and they differ: happened before. */
        BEFORE,
        /** The mirror of {@link #BEFORE}. */
        AFTER,
        /** The same counters. */
        EQUAL,
        /** Neither happened before the other. */
        CONCURRENT
    }

    public VectorClock {
        if (entries == null) {
            throw new IllegalArgumentException("vector clock entries must not be null");
        }
        TreeMap<ClusterId, Long> copy = new TreeMap<>();
        entries.forEach((cluster, counter) -> {
            if (cluster == null || counter == null) {
                throw new IllegalArgumentException("vector clock entry " + cluster + "=" + counter + " has a null part");
            }
            if (counter < 0) {
                throw new IllegalArgumentException("vector clock counter of " + cluster + " must be >= 0, got "
                        + counter);
            }
            if (counter > 0) {
                copy.put(cluster, counter);
            }
        });
        entries = Collections.unmodifiableSortedMap(copy);
    }

    /** The clock with every counter at zero. */
    public static VectorClock empty() {
        return EMPTY;
    }

    /** A clock with the given counters (zeros dropped). */
    public static VectorClock of(Map<ClusterId, Long> entries) {
        return new VectorClock(new TreeMap<>(entries));
    }

    /** The counter of {@code cluster}, 0 if absent. */
    public long get(ClusterId cluster) {
        return entries.getOrDefault(cluster, 0L);
    }

    /** This clock with {@code cluster}'s counter one higher. */
    public VectorClock increment(ClusterId cluster) {
        TreeMap<ClusterId, Long> next = new TreeMap<>(entries);
        next.merge(cluster, 1L, Math::addExact);
        return new VectorClock(next);
    }

    /** The element-wise maximum of this clock and {@code other}. */
    public VectorClock merge(VectorClock other) {
        TreeMap<ClusterId, Long> next = new TreeMap<>(entries);
        other.entries.forEach((cluster, counter) -> next.merge(cluster, counter, Math::max));
        return new VectorClock(next);
    }

    /** How this clock relates to {@code other}. */
    public Order compare(VectorClock other) {
        boolean less = false;
        boolean greater = false;
        TreeMap<ClusterId, Long> keys = new TreeMap<>(entries);
        keys.putAll(other.entries);
        for (ClusterId cluster : keys.keySet()) {
            long mine = get(cluster);
            long theirs = other.get(cluster);
            if (mine < theirs) {
                less = true;
            } else if (mine > theirs) {
                greater = true;
            }
        }
        if (less && greater) {
            return Order.CONCURRENT;
        }
        return less ? Order.BEFORE : greater ? Order.AFTER : Order.EQUAL;
    }

    /** Whether this clock happened strictly before {@code other}. */
    public boolean happenedBefore(VectorClock other) {
        return compare(other) == Order.BEFORE;
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
