package io.mpreg.api;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a voted round decides by, fixed when it opens and bound into every vote: the weight table (version and
 * hash), the quorum rule and each target's weight in the round (its table weight, possibly lowered by the
 * coordinator's trust in it, never raised). A vote's digest is {@link #proposal the proposal}: the message digest
 * together with these terms, so a signed yes vote says "this message, decided by these terms", and a set of them is a
 * {@link CommitCertificate} anyone can check without trusting the coordinator.
 *
 * @param tableVersion       the weight table's version
 * @param tableHash          the weight table's hash
 * @param guarantee          {@link DeliveryGuarantee#GLOBAL_QUORUM} or {@link DeliveryGuarantee#BYZANTINE_QUORUM}
 * @param threshold          the share of the weight that commits a GLOBAL_QUORUM round (ignored, but must be given,
 *                           for BYZANTINE_QUORUM: use {@link Threshold#ALL})
 * @param byzantineTolerance f, the faulty clusters a BYZANTINE_QUORUM round tolerates (0 for GLOBAL_QUORUM)
 * @param weights            each target's weight in the round; their sum is more than 0
 * @since 0.5.0
 */
public record RoundTerms(long tableVersion, Digest tableHash, DeliveryGuarantee guarantee, Threshold threshold,
                         int byzantineTolerance, SortedMap<ClusterId, Long> weights) {
    private static final byte[] DOMAIN = "MPREG-ROUND-v1".getBytes(StandardCharsets.US_ASCII);
    /**
     * The longest a voted round may take: a coordinator refuses a send with a longer timeout, and a target a PREPARE
     * with one, so no PREPARE can pin a held message and its queue slot for longer.
     */
    public static final java.time.Duration MAX_TIMEOUT = java.time.Duration.ofMinutes(10);
    /** The most targets a round may have. */
    public static final int MAX_TARGETS = 4096;

    public RoundTerms {
        if (tableHash == null || guarantee == null || threshold == null || weights == null) {
            throw new IllegalArgumentException("round terms need a table hash, a guarantee, a threshold and weights, "
                    + "got " + tableHash + ", " + guarantee + ", " + threshold + ", " + weights);
        }
        if (guarantee != DeliveryGuarantee.GLOBAL_QUORUM && guarantee != DeliveryGuarantee.BYZANTINE_QUORUM) {
            throw new IllegalArgumentException("only voted guarantees have round terms, got " + guarantee);
        }
        if (byzantineTolerance < 0 || guarantee == DeliveryGuarantee.GLOBAL_QUORUM && byzantineTolerance != 0) {
            throw new IllegalArgumentException("byzantine tolerance must be 0 or more (0 for GLOBAL_QUORUM), got "
                    + byzantineTolerance + " for " + guarantee);
        }
        if (weights.isEmpty() || weights.size() > MAX_TARGETS) {
            throw new IllegalArgumentException("a round has 1 to " + MAX_TARGETS + " targets, got " + weights.size());
        }
        long total = 0;
        for (var e : weights.entrySet()) {
            if (e.getKey() == null || e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("target weights must be clusters with weights of 0 or more, got "
                        + e.getKey() + "=" + e.getValue());
            }
            total = Math.addExact(total, e.getValue());
        }
        if (total == 0) {
            throw new IllegalArgumentException("the targets' total weight is 0: " + weights);
        }
        weights = Collections.unmodifiableSortedMap(new TreeMap<>(weights));
    }

    /** The targets' summed weight. */
    public long totalWeight() {
        return weights.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The least yes-weight that commits: {@code ceil(W * n / d)} for GLOBAL_QUORUM, {@code floor((W + F) / 2) + 1}
     * for BYZANTINE_QUORUM, where F is the summed weight of the f heaviest targets.
     *
     * @throws IllegalArgumentException for a BYZANTINE_QUORUM with W &lt; 3F + 1, which no quorum can survive
     */
    public long requiredWeight() {
        long total = totalWeight();
        if (guarantee == DeliveryGuarantee.GLOBAL_QUORUM) {
            return threshold.requiredWeight(total);
        }
        long[] w = weights.values().stream().mapToLong(Long::longValue).toArray();
        return byzantineQuorum(total, faultyWeight(w, byzantineTolerance), byzantineTolerance);
    }

    /** F: the summed weight of the {@code f} heaviest of {@code weights}. */
    public static long faultyWeight(long[] weights, int f) {
        long[] sorted = weights.clone();
        Arrays.sort(sorted);
        long sum = 0;
        for (int i = sorted.length - 1; i >= 0 && i >= sorted.length - f; i--) {
            sum = Math.addExact(sum, sorted[i]);
        }
        return sum;
    }

    /**
     * The Byzantine quorum {@code floor((W + F) / 2) + 1} of total weight W with faulty weight F.
     *
     * @throws IllegalArgumentException if W &lt; 3F + 1
     */
    public static long byzantineQuorum(long total, long faulty, int f) {
        if (faulty > (total - 1) / 3) { // W >= 3F + 1  <=>  F <= (W - 1) / 3 for integers, without overflow
            throw new IllegalArgumentException("byzantine quorum refused: total weight W=" + total
                    + " < 3F+1 with f=" + f + ", F=" + faulty);
        }
        return total / 2 + faulty / 2 + (total % 2 + faulty % 2) / 2 + 1; // floor((W + F) / 2) + 1, no overflow
    }

    /** The digest the round's votes sign: {@code messageDigest} decided by these terms. */
    public Digest proposal(Digest messageDigest) {
        return Digest.sha256(DOMAIN, messageDigest.toBytes(), canonicalBytes());
    }

    /** These terms as the bytes {@link #proposal} hashes. */
    public byte[] canonicalBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 16 * weights.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(tableVersion);
            out.write(tableHash.toBytes());
            out.writeByte(guarantee.ordinal());
            out.writeLong(threshold.numerator());
            out.writeLong(threshold.denominator());
            out.writeInt(byzantineTolerance);
            out.writeInt(weights.size());
            for (var e : weights.entrySet()) {
                byte[] id = e.getKey().value().getBytes(StandardCharsets.UTF_8);
                out.writeInt(id.length);
                out.write(id);
                out.writeLong(e.getValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }
}
