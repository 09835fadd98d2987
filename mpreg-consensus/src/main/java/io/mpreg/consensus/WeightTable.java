package io.mpreg.consensus;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The configured integer weight of every cluster, versioned and hashed so that coordinators and voters can tell
 * whether they count with the same table: a PREPARE carries {@link #version()} and {@link #hash()}, and a voter
 * whose table differs answers {@code WEIGHTS_MISMATCH}. Immutable; {@link #withWeight} makes the next version.
 *
 * @since 0.1.0
 */
public final class WeightTable {
    private final long version;
    private final ClusterId[] clusters;
    private final long[] weights;
    private final long total;
    private final Digest hash;

    private WeightTable(long version, SortedMap<ClusterId, Long> entries) {
        this.version = version;
        this.clusters = entries.keySet().toArray(new ClusterId[0]);
        this.weights = new long[clusters.length];
        long sum = 0;
        int i = 0;
        for (Map.Entry<ClusterId, Long> e : entries.entrySet()) {
            weights[i++] = e.getValue();
            sum = Math.addExact(sum, e.getValue());
        }
        this.total = sum;
        this.hash = computeHash();
    }

    /**
     * A table at {@code version} with the given weights.
     *
     * @throws IllegalArgumentException if the version or a weight is negative, a key or value is null, or the total
     *                                  overflows a {@code long}
     */
    public static WeightTable of(long version, Map<ClusterId, Long> weights) {
        if (version < 0) {
            throw new IllegalArgumentException("weight table version must be >= 0, got " + version);
        }
        if (weights == null) {
            throw new IllegalArgumentException("weights must not be null");
        }
        TreeMap<ClusterId, Long> sorted = new TreeMap<>();
        long sum = 0;
        for (Map.Entry<ClusterId, Long> e : weights.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("weight entry " + e.getKey() + "=" + e.getValue()
                        + " has a null part");
            }
            if (e.getValue() < 0) {
                throw new IllegalArgumentException("weight of " + e.getKey() + " must be >= 0, got " + e.getValue());
            }
            try {
                sum = Math.addExact(sum, e.getValue());
            } catch (ArithmeticException overflow) {
                throw new IllegalArgumentException("total weight overflows a long at " + e.getKey() + "="
                        + e.getValue(), overflow);
            }
            sorted.put(e.getKey(), e.getValue());
        }
        return new WeightTable(version, sorted);
    }

    /** A table at version 1 giving each of {@code clusters} weight 1. */
    public static WeightTable equal(ClusterId... clusters) {
        TreeMap<ClusterId, Long> map = new TreeMap<>();
        for (ClusterId c : clusters) {
            map.put(c, 1L);
        }
        return of(1, map);
    }

    private Digest computeHash() {
        ByteBuffer buf = ByteBuffer.allocate(Long.BYTES);
        buf.putLong(version);
        byte[][] parts = new byte[1 + clusters.length * 2][];
        parts[0] = buf.array();
        for (int i = 0; i < clusters.length; i++) {
            byte[] name = clusters[i].value().getBytes(StandardCharsets.UTF_8);
            parts[1 + 2 * i] = ByteBuffer.allocate(4 + name.length).putInt(name.length).put(name).array();
            parts[2 + 2 * i] = ByteBuffer.allocate(Long.BYTES).putLong(weights[i]).array();
        }
        return Digest.sha256(parts);
    }

    /** The table's version. */
    public long version() {
        return version;
    }

    /** The SHA-256 of the version and every (cluster, weight) entry in cluster order. */
    public Digest hash() {
        return hash;
    }

    /** The sum of all weights. */
    public long total() {
        return total;
    }

    /** The number of clusters in the table. */
    public int size() {
        return clusters.length;
    }

    /** Whether {@code cluster} has an entry. */
    public boolean contains(ClusterId cluster) {
        return Arrays.binarySearch(clusters, cluster) >= 0;
    }

    /**
     * The weight of {@code cluster}.
     *
     * @throws IllegalArgumentException if the table has no entry for it
     */
    public long weight(ClusterId cluster) {
        int i = Arrays.binarySearch(clusters, cluster);
        if (i < 0) {
            throw new IllegalArgumentException("weight table v" + version + " has no entry for cluster " + cluster
                    + " (it has " + asMap().keySet() + ")");
        }
        return weights[i];
    }

    /**
     * The weights of {@code sortedClusters} (ascending, distinct), by one merge walk over both sorted arrays.
     *
     * @throws IllegalArgumentException naming the first cluster the table has no entry for
     */
    long[] weightsOf(ClusterId[] sortedClusters) {
        long[] out = new long[sortedClusters.length];
        int j = 0;
        for (int i = 0; i < sortedClusters.length; i++) {
            ClusterId wanted = sortedClusters[i];
            int c = -1;
            while (j < clusters.length && (c = clusters[j].compareTo(wanted)) < 0) {
                j++;
            }
            if (j == clusters.length || c != 0) {
                throw new IllegalArgumentException("cluster " + wanted + " is not in weight table v" + version + " "
                        + asMap().keySet());
            }
            out[i] = weights[j++];
        }
        return out;
    }

    /** Whether a peer's table with {@code otherVersion} and {@code otherHash} is this table. */
    public boolean agreesWith(long otherVersion, Digest otherHash) {
        return version == otherVersion && hash.equals(otherHash);
    }

    /** The next version of this table, with {@code cluster} at {@code newWeight} (added if absent). */
    public WeightTable withWeight(ClusterId cluster, long newWeight) {
        TreeMap<ClusterId, Long> next = new TreeMap<>(asMap());
        next.put(cluster, newWeight);
        return of(version + 1, next);
    }

    /** The entries, sorted by cluster. */
    public SortedMap<ClusterId, Long> asMap() {
        TreeMap<ClusterId, Long> map = new TreeMap<>();
        for (int i = 0; i < clusters.length; i++) {
            map.put(clusters[i], weights[i]);
        }
        return Collections.unmodifiableSortedMap(map);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightTable t && version == t.version && hash.equals(t.hash);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "WeightTable[v" + version + " " + asMap() + " hash=" + hash + "]";
    }
}
