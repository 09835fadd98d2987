package io.mpreg.api.spi.transport;

/**
 * What {@link Transport#send} did with a frame.
 *
 * @since 0.1.0
 */
public enum SendStatus {
    /** Queued for the peer. */
    ACCEPTED,
    /** The peer's bounded send queue is full; the frame was not taken. */
    QUEUE_FULL,
    /** The peer is known but not linked now; the frame was not taken. */
    PEER_DOWN
}
