package io.mpreg.api.spi.transport;

import io.mpreg.api.NodeId;

/**
 * A peer's link came up or went down.
 *
 * @param peer   the peer
 * @param kind   up or down
 * @param detail why (for example: "heartbeat silence 2000 ms", "connection reset"); never null
 * @since 0.1.0
 */
public record PeerEvent(NodeId peer, Kind kind, String detail) {
    /** The direction of the change. */
    public enum Kind { UP, DOWN }

    public PeerEvent {
        if (peer == null || kind == null || detail == null) {
            throw new IllegalArgumentException("peer event needs peer, kind and detail, got " + peer + ", " + kind
                    + ", " + detail);
        }
    }
}
