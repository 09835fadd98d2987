package io.mpreg.api.spi.transport;

import io.mpreg.api.NodeId;

/**
 * A frame was addressed to a peer the transport was never configured with and never discovered.
 *
 * @since 0.1.0
 */
public final class UnknownPeerException extends TransportException {
    private static final long serialVersionUID = 1L;
    private final transient NodeId peer;

    public UnknownPeerException(NodeId peer, NodeId localNode) {
        super("transport of " + localNode + " knows no peer " + peer);
        this.peer = peer;
    }

    /** The unknown peer. */
    public NodeId peer() {
        return peer;
    }
}
