package io.mpreg.federation.internal.queue;

/** What became of a message offered to a {@link LocalQueue}. */
public enum Enqueued {
    /** Stored. */
    ACCEPTED,
    /**
     * The same message again inside the dedup window (a retransmission of its send, or a new send of it, for example
     * by a sender that restarted), and its send has reached its goal: acknowledge, it is stored already.
     */
    RETRANSMITTED,
    /** The same message again, not complete yet (a QUORUM message short of acknowledgements): no answer yet. */
    RETRANSMITTED_PENDING,
    /** Another message (other content) under an id accepted inside the dedup window: refused. */
    CONFLICT,
    /** No room: refused. */
    FULL
}
