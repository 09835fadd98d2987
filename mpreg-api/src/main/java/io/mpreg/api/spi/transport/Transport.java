package io.mpreg.api.spi.transport;

import io.mpreg.api.NodeId;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Moves opaque byte frames between named peers. Created by a {@link TransportProvider}; one instance serves one
 * local node.
 *
 * <p><b>Lifecycle.</b> {@link #start} once, then {@link #send} from any thread, then {@link #close}. Starting twice
 * is an {@link IllegalStateException}; closing twice is a no-op. After {@code close} returns, the transport holds
 * no threads, sockets or channels, and calls the receiver no more.
 *
 * <p><b>Threading.</b> Every method is thread-safe. Receiver callbacks come from the transport's own threads;
 * frames from one peer arrive in the order that peer sent them, and never concurrently with each other.
 *
 * <p><b>Buffers.</b> {@link #send} takes ownership of the array: the caller must not change it afterwards. A
 * frame handed to {@link FrameReceiver#onFrame} is valid only during the call; a receiver that keeps it copies it.
 *
 * <p><b>Errors and back-pressure.</b> Nothing is lost silently: {@code send} either accepts the frame (it will be
 * written unless the peer is lost before that, which is reported by a {@link PeerEvent.Kind#DOWN} event) or says
 * why not through its {@link SendStatus}.
 *
 * @since 0.1.0
 */
public interface Transport extends AutoCloseable {

    /** The node this transport speaks for. */
    NodeId localNode();

    /**
     * Starts listening and linking with the configured peers; returns once the transport is ready to accept
     * {@link #send} calls (peers come up asynchronously, reported by events).
     *
     * @throws IllegalStateException if already started or closed
     * @throws TransportException    if the transport cannot start (for example: the address is in use)
     */
    void start(FrameReceiver receiver);

    /** The address actually listened on (the real port when the config asked for port 0), or null before start. */
    InetSocketAddress boundAddress();

    /**
     * Queues {@code frame} for {@code peer}.
     *
     * @return {@link SendStatus#ACCEPTED} if queued; {@link SendStatus#QUEUE_FULL} if the peer's bounded queue is
     *         full (the frame was not taken; retry later); {@link SendStatus#PEER_DOWN} if the peer is known but not
     *         linked now (the frame was not taken)
     * @throws FrameTooLargeException if the frame is empty or exceeds the configured cap; the link is unaffected
     * @throws UnknownPeerException   if {@code peer} was neither configured nor discovered
     * @throws IllegalStateException  if the transport is not started or already closed
     */
    SendStatus send(NodeId peer, byte[] frame);

    /**
     * Closes the link with {@code peer} because it broke the protocol above the transport (the node calls this for a
     * frame it cannot decode). A transport that supports it closes the peer's connection, counts it as it counts
     * other refused connections, reports {@link PeerEvent.Kind#DOWN}, and links again as after any failure (with its
     * reconnect backoff). Frames queued for the peer are lost with the connection, as on any failure.
     *
     * @param reason what the peer did, for the transport's log and refusal history
     * @return whether a connection was closed: false if the peer was not linked, and always false from a transport
     *         that cannot close a single peer's link (the default; the node then only drops the frame)
     * @since 0.3.0
     */
    default boolean disconnect(NodeId peer, String reason) {
        return false;
    }

    /** Every peer this transport knows, with its state now. */
    Map<NodeId, PeerState> peers();

    /** Releases every resource; idempotent and never throws. */
    @Override
    void close();
}
