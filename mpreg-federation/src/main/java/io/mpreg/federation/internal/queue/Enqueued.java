package io.mpreg.federation.internal.queue;

/** What became of a message offered to a {@link LocalQueue}. */
public enum Enqueued {
    /** Stored. */
    ACCEPTED,
    /** The same send again (same id and token), and it has reached its goal: acknowledge again. */
    RETRANSMITTED,
    /** The same send again, not complete yet (a QUORUM message short of acknowledgements): no answer yet. */
    RETRANSMITTED_PENDING,
    /** Another send of an id accepted inside the dedup window: refused. */
    DUPLICATE,
    /** No room: refused. */
    FULL
}
