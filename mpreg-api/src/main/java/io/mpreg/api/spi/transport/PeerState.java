package io.mpreg.api.spi.transport;

/**
 * The state of a peer's link as a transport sees it.
 *
 * @since 0.1.0
 */
public enum PeerState {
    /** Linked; frames flow. */
    UP,
    /** Linked, but the send queue is full: {@link Transport#send} answers {@link SendStatus#QUEUE_FULL}. */
    BACKLOGGED,
    /** Not linked; the transport is trying to (re)connect. */
    DOWN
}
