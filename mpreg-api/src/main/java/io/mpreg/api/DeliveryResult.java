package io.mpreg.api;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The outcome of one delivery, as the sender's future reports it.
 *
 * @param messageId   the message
 * @param guarantee   the guarantee it was sent with
 * @param success     whether the guarantee was met
 * @param committedTo clusters that hold the message for delivery (for voted guarantees: the yes-voters of a
 *                    committed round)
 * @param deliveredTo clusters that confirmed delivery to their subscribers or acknowledged the message
 * @param failures    per-cluster failure descriptions, for clusters that refused, failed or did not answer
 * @param abortReason why the delivery failed; {@code null} exactly when {@code success}
 * @param certificate for a committed GLOBAL_QUORUM or BYZANTINE_QUORUM round, the proof of its commit (its signers
 *                    are {@code committedTo}); {@code null} otherwise
 * @since 0.1.0
 */
public record DeliveryResult(MessageId messageId, DeliveryGuarantee guarantee, boolean success,
                             SortedSet<ClusterId> committedTo, SortedSet<ClusterId> deliveredTo,
                             SortedMap<ClusterId, String> failures, AbortReason abortReason,
                             CommitCertificate certificate) {

    public DeliveryResult {
        if (messageId == null || guarantee == null) {
            throw new IllegalArgumentException("result needs a message id and a guarantee, got " + messageId + ", "
                    + guarantee);
        }
        if (success == (abortReason != null)) {
            throw new IllegalArgumentException("a result has an abort reason exactly when it failed: success="
                    + success + ", abortReason=" + abortReason);
        }
        committedTo = Collections.unmodifiableSortedSet(new TreeSet<>(requireNonNull(committedTo, "committedTo")));
        deliveredTo = Collections.unmodifiableSortedSet(new TreeSet<>(requireNonNull(deliveredTo, "deliveredTo")));
        failures = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(failures, "failures")));
        if (certificate != null && (!success || !certificate.committedTo().equals(committedTo))) {
            throw new IllegalArgumentException("a certificate goes with a success committed to its signers, got "
                    + "success=" + success + ", committedTo=" + committedTo + ", signers="
                    + certificate.committedTo());
        }
    }

    /** A result without a certificate (every guarantee but the voted ones). */
    public DeliveryResult(MessageId messageId, DeliveryGuarantee guarantee, boolean success,
                          SortedSet<ClusterId> committedTo, SortedSet<ClusterId> deliveredTo,
                          SortedMap<ClusterId, String> failures, AbortReason abortReason) {
        this(messageId, guarantee, success, committedTo, deliveredTo, failures, abortReason, null);
    }

    /**
     * A committed voted round: committed to, and delivered by, exactly the certificate's signers.
     *
     * @since 0.5.0
     */
    public static DeliveryResult committed(MessageId id, DeliveryGuarantee guarantee, CommitCertificate certificate,
                                           Map<ClusterId, String> failures) {
        return new DeliveryResult(id, guarantee, true, certificate.committedTo(), certificate.committedTo(),
                new TreeMap<>(failures), null, certificate);
    }

    /**
     * The proof of the commit, for a committed voted round.
     *
     * @since 0.5.0
     */
    public Optional<CommitCertificate> certificateIfAny() {
        return Optional.ofNullable(certificate);
    }

    private static <T> T requireNonNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null (use an empty collection)");
        }
        return value;
    }

    /** A successful result. */
    public static DeliveryResult succeeded(MessageId id, DeliveryGuarantee guarantee, Set<ClusterId> committedTo,
                                           Set<ClusterId> deliveredTo, Map<ClusterId, String> failures) {
        return new DeliveryResult(id, guarantee, true, new TreeSet<>(committedTo), new TreeSet<>(deliveredTo),
                new TreeMap<>(failures), null);
    }

    /** A failed result. */
    public static DeliveryResult failed(MessageId id, DeliveryGuarantee guarantee, AbortReason reason,
                                        Map<ClusterId, String> failures) {
        return new DeliveryResult(id, guarantee, false, new TreeSet<>(), new TreeSet<>(), new TreeMap<>(failures),
                reason);
    }

    /** The abort reason, if the delivery failed. */
    public Optional<AbortReason> abortReasonIfAny() {
        return Optional.ofNullable(abortReason);
    }
}
