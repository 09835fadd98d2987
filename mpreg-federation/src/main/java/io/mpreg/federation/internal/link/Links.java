package io.mpreg.federation.internal.link;

import io.mpreg.api.ClusterId;
import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.FrameTooLargeException;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportException;
import io.mpreg.federation.EventLoop;
import io.mpreg.federation.internal.Counters;
import io.mpreg.federation.internal.wire.LinkHeader;
import io.mpreg.federation.internal.wire.WireCodec;
import io.mpreg.federation.internal.wire.WireException;
import io.mpreg.federation.internal.wire.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The one way out of a node: routing towards a cluster (by the {@link Router}'s best next hops), flooding to every
 * neighbour, relaying frames that pass through, each frame numbered by the {@link LinkGuard}, encoded by the
 * {@link WireCodec} and handed to the {@link Transport}. Everything that sends (the courier, the voted rounds, the
 * queues, the node's own gossip) sends through here; frames a node addresses to itself go back through one handler
 * given at construction. Loop-thread only.
 *
 * <p><b>Batching.</b> With batching on, a message for a peer is kept until a flush task, posted to the loop behind
 * the tasks already queued when the first message is kept, sends everything kept for each peer: one message as its
 * own frame, several as {@link WireMessage.Batch} frames as large as the frame cap allows. So what the loop produces
 * for a peer while it works through a burst leaves in one frame, and a lone message waits only for the task in hand
 * to end (no timer). A peer the transport last reported down is sent to at once, so the caller learns whether the
 * transport took the frame; for a kept message, "sent" means it will be handed over at the flush (lost, like any
 * frame, if the peer goes down meanwhile).
 *
 * <p><b>Back-pressure.</b> A transport whose queue for a peer is full ({@link SendStatus#QUEUE_FULL}) parks that
 * peer's traffic: the frame and everything after it stay here, in order, and are offered again every
 * {@value #CONGESTED_RETRY_MICROS} µs until the transport takes them; nothing is dropped for a full queue. Up to
 * {@value #KEPT_PER_PEER} messages wait per peer; beyond, {@link #send} says no and the sender's own retry (or its
 * caller) waits.
 */
public final class Links {
    private static final Logger LOG = LoggerFactory.getLogger(Links.class);
    /** Messages kept per peer at most (waiting for a flush or a congested transport). */
    public static final int KEPT_PER_PEER = 16_384;
    /** How soon a congested peer's messages are offered to the transport again. */
    static final long CONGESTED_RETRY_MICROS = 1_000;

    private final NodeId node;
    private final ClusterId self;
    private final Transport transport;
    private final WireCodec codec;
    private final LinkGuard guard;
    private final Router router;
    private final Counters counters;
    private final Consumer<WireMessage.Routed> local;
    private final EventLoop loop;
    private final boolean batching;
    /** Messages waiting for a flush, or for a congested transport to take them, per peer, in order. */
    private final Map<NodeId, ArrayDeque<WireMessage>> kept = new LinkedHashMap<>();
    /** Peers whose transport queue was full at the last attempt: their messages wait for the retry timer. */
    private final Set<NodeId> congested = new HashSet<>();
    private final Set<NodeId> down = java.util.concurrent.ConcurrentHashMap.newKeySet(); // also sends off the loop
    private boolean flushPosted;
    /** What the transport said to the last frame a flush handed it. */
    private SendStatus lastStatus;

    /**
     * {@code local} takes the frames this node addresses to its own cluster ({@link #local}); {@code batching} keeps
     * messages for a peer until the flush task {@code loop} runs.
     */
    public Links(NodeId node, Transport transport, WireCodec codec, LinkGuard guard, Router router,
                 Counters counters, Consumer<WireMessage.Routed> local, EventLoop loop, boolean batching) {
        this.node = node;
        this.self = node.cluster();
        this.transport = transport;
        this.codec = codec;
        this.guard = guard;
        this.router = router;
        this.counters = counters;
        this.local = local;
        this.loop = loop;
        this.batching = batching;
    }

    /**
     * Hands a frame addressed to this node's own cluster to this node's handlers at once, on the calling (loop)
     * thread, with no frame on the wire: how a coordinator reaches its own voter and the voter its coordinator.
     */
    public void local(WireMessage.Routed frame) {
        local.accept(frame);
    }

    /** Sends to the gateway this node is linked with in neighbouring cluster {@code neighbour}; false if none. */
    public boolean sendTo(ClusterId neighbour, WireMessage message) {
        NodeId gateway = router.gateway(neighbour);
        return gateway != null && send(gateway, message);
    }

    /**
     * Sends to one peer node, whether or not it is linked yet (hellos); false if the transport did not take it (or,
     * with batching, will not: the peer was down at the last attempt and still is).
     */
    public boolean send(NodeId peer, WireMessage message) {
        if (!batching || message instanceof WireMessage.Hello || !loop.inLoop()
                || down.contains(peer) && !kept.containsKey(peer)) {
            return sendNow(peer, message);
        }
        ArrayDeque<WireMessage> waiting = kept.computeIfAbsent(peer, p -> new ArrayDeque<>());
        if (waiting.size() >= KEPT_PER_PEER) {
            counters.keptFull.increment();
            return false; // full means wait: the sender retries, as after any frame the transport refused
        }
        waiting.addLast(message);
        if (!flushPosted && !congested.contains(peer)) {
            flushPosted = true;
            loop.execute(this::flush);
        }
        return true;
    }

    private boolean sendNow(NodeId peer, WireMessage message) {
        try {
            LinkHeader link = guard.next(peer, message instanceof WireMessage.Hello);
            return accepted(peer, transport.send(peer, codec.encode(link, message)));
        } catch (TransportException | WireException | IllegalStateException e) {
            LOG.debug("{}: cannot send {} to {}: {}", node, message.getClass().getSimpleName(), peer,
                    e.getMessage());
            return false;
        }
    }

    private boolean accepted(NodeId peer, SendStatus status) {
        if (status == SendStatus.PEER_DOWN) {
            down.add(peer);
        } else if (status == SendStatus.ACCEPTED) {
            down.remove(peer);
        }
        return status == SendStatus.ACCEPTED;
    }

    /** Sends what was kept for each peer not congested: one message as its own frame, more in batches. */
    private void flush() {
        flushPosted = false;
        for (NodeId peer : List.copyOf(kept.keySet())) {
            if (!congested.contains(peer)) {
                drain(peer);
            }
        }
    }

    /** Hands the transport what is kept for {@code peer} until it is all taken or the transport says no. */
    private void drain(NodeId peer) {
        ArrayDeque<WireMessage> waiting = kept.get(peer);
        List<WireMessage> messages = new ArrayList<>(waiting);
        int taken = messages.size() == 1 ? sendOne(peer, messages.get(0)) : sendBatches(peer, messages);
        for (int i = 0; i < taken; i++) {
            waiting.pollFirst();
        }
        if (waiting.isEmpty()) {
            kept.remove(peer);
        } else if (lastStatus == SendStatus.QUEUE_FULL) {
            // parked: offered again shortly, in order, before anything sent later
            counters.congested.increment();
            congested.add(peer);
            loop.schedule(CONGESTED_RETRY_MICROS * 1_000, () -> {
                congested.remove(peer);
                if (kept.containsKey(peer)) {
                    drain(peer);
                }
            });
        } else {
            LOG.debug("{}: {} messages to {} lost: {}", node, waiting.size(), peer, lastStatus);
            kept.remove(peer); // the peer is down (or the transport closed): lost as frames on a broken link are
        }
    }

    /** Sends one message as its own frame; how many of it the transport took (or that were dropped as too large). */
    private int sendOne(NodeId peer, WireMessage message) {
        try {
            LinkHeader link = guard.next(peer, false);
            lastStatus = transport.send(peer, codec.encode(link, message));
            accepted(peer, lastStatus);
            return lastStatus == SendStatus.ACCEPTED ? 1 : 0;
        } catch (WireException e) {
            LOG.debug("{}: cannot send {} to {}: {}", node, message.getClass().getSimpleName(), peer, e.getMessage());
            lastStatus = SendStatus.ACCEPTED;
            return 1; // too large: dropped, as it always was
        } catch (TransportException | IllegalStateException e) {
            LOG.debug("{}: cannot send {} to {}: {}", node, message.getClass().getSimpleName(), peer, e.getMessage());
            lastStatus = SendStatus.PEER_DOWN;
            return 0;
        }
    }

    /**
     * Sends {@code messages} in batch frames as large as the cap allows; how many the transport took (with those
     * dropped as too large) before it said no, or all.
     */
    private int sendBatches(NodeId peer, List<WireMessage> messages) {
        int from = 0;
        lastStatus = SendStatus.ACCEPTED;
        while (from < messages.size()) {
            if (messages.size() - from == 1) {
                return from + sendOne(peer, messages.get(from));
            }
            WireCodec.Encoded batch;
            try {
                batch = codec.encodeBatch(guard.next(peer, false), messages, from);
            } catch (WireException | IllegalStateException e) {
                LOG.debug("{}: cannot send {} to {}: {}", node, messages.get(from).getClass().getSimpleName(), peer,
                        e.getMessage());
                from++; // too large even alone: dropped as it would be unbatched
                continue;
            }
            try {
                lastStatus = transport.send(peer, batch.frame());
                if (!accepted(peer, lastStatus)) {
                    return from;
                }
            } catch (FrameTooLargeException e) {
                for (int i = from; i < batch.next(); i++) { // the peer takes smaller frames: one message each
                    sendNow(peer, messages.get(i));
                }
            } catch (TransportException | IllegalStateException e) {
                LOG.debug("{}: cannot send a batch to {}: {}", node, peer, e.getMessage());
                lastStatus = SendStatus.PEER_DOWN;
                return from;
            }
            counters.batchesSent.increment();
            counters.batchedMessages.add(batch.next() - from);
            from = batch.next();
        }
        return from;
    }

    /** Sends to every linked neighbour but {@code except} (null: to all). */
    public void flood(WireMessage state, ClusterId except) {
        for (ClusterId n : router.links().keySet()) {
            if (!n.equals(except)) {
                sendTo(n, state);
            }
        }
    }

    /** Sends a frame that starts here towards its destination by the best route. */
    public boolean sendToward(WireMessage.Routed frame) {
        return sendToward(frame, 1);
    }

    /** As {@link #sendToward(WireMessage.Routed)}, over up to {@code routes} distinct first hops. */
    public boolean sendToward(WireMessage.Routed frame, int routes) {
        List<ClusterId> hops = router.nextHops(frame.destination(), List.of(self));
        boolean any = false;
        for (int i = 0; i < Math.min(routes, hops.size()); i++) {
            any |= sendTo(hops.get(i), frame);
        }
        return any;
    }

    /**
     * Passes a frame on towards its destination, adding this cluster to its visited list; drops it if it already
     * passed here (a loop) or no neighbour outside the visited list leads there.
     */
    public void relay(WireMessage.Routed frame) {
        if (frame.visited().contains(self)) {
            counters.noRoute.increment();
            return;
        }
        List<ClusterId> next = new ArrayList<>(frame.visited());
        next.add(self);
        List<ClusterId> hops = router.nextHops(frame.destination(), next);
        if (hops.isEmpty() || !sendTo(hops.get(0), frame.via(next))) {
            counters.noRoute.increment(); // dropped: a sender that wants an answer retries, perhaps on a better route
            return;
        }
        counters.relayed.increment();
    }
}
