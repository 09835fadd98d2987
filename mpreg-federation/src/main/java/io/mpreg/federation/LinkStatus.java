package io.mpreg.federation;

/**
 * The state of a node's link to a neighbouring cluster.
 *
 * @since 0.1.0
 */
public enum LinkStatus {
    /** Linked and greeted; frames flow. */
    UP,
    /** Linked, but the transport's send queue to it is full. */
    BACKLOGGED,
    /** Not linked (never, or lost; it comes back UP when the link returns). */
    DOWN
}
