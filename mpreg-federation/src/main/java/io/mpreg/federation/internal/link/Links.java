package io.mpreg.federation.internal.link;

import io.mpreg.api.ClusterId;
import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportException;
import io.mpreg.federation.internal.Counters;
import io.mpreg.federation.internal.wire.LinkHeader;
import io.mpreg.federation.internal.wire.WireCodec;
import io.mpreg.federation.internal.wire.WireException;
import io.mpreg.federation.internal.wire.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one way out of a node: routing towards a cluster (by the {@link Router}'s best next hops), flooding to every
 * neighbour, relaying frames that pass through, each frame numbered by the {@link LinkGuard}, encoded by the
 * {@link WireCodec} and handed to the {@link Transport}. Everything that sends (the courier, the voted rounds, the
 * queues, the node's own gossip) sends through here; frames a node addresses to itself go back through one handler
 * given at construction. Loop-thread only.
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

    /** {@code local} takes the frames this node addresses to its own cluster ({@link #local}). */
    public Links(NodeId node, Transport transport, WireCodec codec, LinkGuard guard, Router router,
                 Counters counters, Consumer<WireMessage.Routed> local) {
        this.node = node;
        this.self = node.cluster();
        this.transport = transport;
        this.codec = codec;
        this.guard = guard;
        this.router = router;
        this.counters = counters;
        this.local = local;
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

    /** Sends to one peer node, whether or not it is linked yet (hellos); false if the transport did not take it. */
    public boolean send(NodeId peer, WireMessage message) {
        try {
            LinkHeader link = guard.next(peer, message instanceof WireMessage.Hello);
            return transport.send(peer, codec.encode(link, message)) == SendStatus.ACCEPTED;
        } catch (TransportException | WireException | IllegalStateException e) {
            LOG.debug("{}: cannot send {} to {}: {}", node, message.getClass().getSimpleName(), peer,
                    e.getMessage());
            return false;
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
