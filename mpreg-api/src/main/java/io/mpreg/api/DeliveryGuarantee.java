package io.mpreg.api;

/**
 * What the federation promises about one message. See the architecture document, section 1, for the full
 * contract of each.
 *
 * @since 0.1.0
 */
public enum DeliveryGuarantee {
    /** Accepted locally; best effort, no retry. */
    FIRE_AND_FORGET,
    /** Retried with backoff until the target cluster acknowledges or the deadline passes; receivers deduplicate. */
    AT_LEAST_ONCE,
    /** Fanned out to every subscriber of the queue; complete once {@code requiredAcks} of them acknowledged. */
    QUORUM,
    /** Sent to every target cluster over {@code redundancy} distinct routes; per-cluster outcome. */
    BROADCAST,
    /** Two-phase: delivered only if the yes-weight of trusted target clusters reaches the threshold. */
    GLOBAL_QUORUM,
    /** As {@link #GLOBAL_QUORUM} with the Byzantine quorum Q = floor((W+F)/2)+1 tolerating f faulty clusters. */
    BYZANTINE_QUORUM,
    /** Delivered in causal order, tracked with vector clocks. */
    CAUSAL;

    /** Whether this guarantee decides delivery by a weighted vote of the target clusters. */
    public boolean isVoted() {
        return this == GLOBAL_QUORUM || this == BYZANTINE_QUORUM;
    }
}
