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
 */
public final class Links {
    private static final Logger LOG = LoggerFactory.getLogger(Links.class);

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
    private final Map<NodeId, List<WireMessage>> kept = new LinkedHashMap<>();
    private final Set<NodeId> down = new HashSet<>();
    private boolean flushPosted;

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
        if (!batching || message instanceof WireMessage.Hello || down.contains(peer) || !loop.inLoop()) {
            return sendNow(peer, message);
        }
        kept.computeIfAbsent(peer, p -> new ArrayList<>()).add(message);
        if (!flushPosted) {
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

    /** Sends what was kept for each peer: one message as its own frame, more in batches. */
    private void flush() {
        flushPosted = false;
        for (Map.Entry<NodeId, List<WireMessage>> e : kept.entrySet()) {
            List<WireMessage> messages = e.getValue();
            if (messages.size() == 1) {
                sendNow(e.getKey(), messages.get(0));
            } else {
                sendBatches(e.getKey(), messages);
            }
        }
        kept.clear();
    }

    private void sendBatches(NodeId peer, List<WireMessage> messages) {
        int from = 0;
        while (from < messages.size()) {
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
                if (!accepted(peer, transport.send(peer, batch.frame()))) {
                    LOG.debug("{}: {} messages to {} not taken by the transport", node, messages.size() - from, peer);
                    return; // lost as unbatched frames would be: their senders retry
                }
            } catch (FrameTooLargeException e) {
                for (int i = from; i < batch.next(); i++) { // the peer takes smaller frames: one message each
                    sendNow(peer, messages.get(i));
                }
            } catch (TransportException | IllegalStateException e) {
                LOG.debug("{}: cannot send a batch to {}: {}", node, peer, e.getMessage());
                return;
            }
            counters.batchesSent.increment();
            counters.batchedMessages.add(batch.next() - from);
            from = batch.next();
        }
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
