package io.mpreg.federation.queue;

/**
 * What became of an acknowledgement (or a release) of a {@link io.mpreg.federation.Delivery}.
 *
 * @since 0.1.0
 */
public enum AckOutcome {
    /** The queue took the acknowledgement: the message is done (or, released, visible again). */
    ACKED,
    /** The message had already reached its goal (a QUORUM delivery that had its required acknowledgements). */
    ALREADY_COMPLETE,
    /**
     * The receipt is no longer valid: the visibility timeout passed and the message was made visible again (it may
     * be delivered again), it was acknowledged before, or the queue was deleted.
     */
    STALE,
    /**
     * The queue lives on another cluster and the acknowledgement left for it. If it is lost on the way the message
     * becomes visible again after its visibility timeout; this node's subscription then acknowledges the repeat
     * itself without handing it to the application again.
     */
    FORWARDED,
    /**
     * The queue lives on another cluster that cannot be reached now. As for {@link #FORWARDED}, the redelivery that
     * follows is acknowledged without reaching the application again, as long as it arrives within the node's dedup
     * window.
     */
    UNREACHABLE
}
