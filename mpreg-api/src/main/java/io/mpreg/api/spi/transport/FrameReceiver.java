package io.mpreg.api.spi.transport;

import io.mpreg.api.NodeId;

import java.nio.ByteBuffer;

/**
 * Receives what a {@link Transport} delivers. Called from the transport's threads: implementations must be quick
 * and must not block (hand the work to an event loop). An exception thrown here is logged by the transport, the
 * frame is dropped and the link survives.
 *
 * @since 0.1.0
 */
public interface FrameReceiver {

    /**
     * One whole frame from {@code from}. The buffer (position to limit) is read-only and valid only during the call.
     */
    void onFrame(NodeId from, ByteBuffer frame);

    /** A peer came up or went down. Events of one peer arrive in order: UP, DOWN, UP, ... */
    void onPeerEvent(PeerEvent event);
}
