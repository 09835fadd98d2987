package io.mpreg.federation.internal;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.NodeId;
import io.mpreg.api.VectorClock;
import io.mpreg.api.spi.transport.FrameReceiver;
import io.mpreg.consensus.WeightTable;
import io.mpreg.api.spi.transport.PeerEvent;
import io.mpreg.api.spi.transport.PeerState;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportException;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.LinkStatus;
import io.mpreg.federation.internal.wire.WireCodec;
import io.mpreg.federation.internal.wire.WireException;
import io.mpreg.federation.internal.wire.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A node's protocol: links and link-state gossip, relaying with visited lists, and the guarantees that need no vote
 * (FIRE_AND_FORGET, AT_LEAST_ONCE, BROADCAST, CAUSAL). Transport callbacks copy the frame and post it to the loop;
 * everything else runs on the loop.
 */
public final class NodeCore implements FrameReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCore.class);

    private final NodeSettings settings;
    private final EventLoop loop;
    private final Transport transport;
    private final WireCodec codec;
    private final Counters counters;
    private final Router router;
    private final WeightBook weights;
    private final Inbox inbox;
    private final Outbox outbox;
    private final Quorum quorum;
    private SortedSet<ClusterId> lastReachable = new TreeSet<>();
    private final ClusterId self;

    public NodeCore(NodeSettings settings, EventLoop loop, Transport transport, WireCodec codec, Counters counters) {
        this.settings = settings;
        this.loop = loop;
        this.transport = transport;
        this.codec = codec;
        this.counters = counters;
        this.self = settings.node().cluster();
        this.weights = new WeightBook(settings.table());
        this.router = new Router(settings.node(), settings.gossipInterval().toNanos() * 5, weights::current);
        this.inbox = new Inbox(settings, counters, loop);
        this.outbox = new Outbox(counters);
        this.quorum = new Quorum(settings, loop, counters, inbox, this::sendToward, weights::current);
    }

    /** Starts the periodic gossip; call on the loop after the transport started. */
    public void start() {
        loop.schedule(settings.gossipInterval().toNanos(), this::gossipTick);
    }

    // ---- transport callbacks (transport threads) ----

    @Override
    public void onFrame(NodeId from, ByteBuffer frame) {
        byte[] copy = new byte[frame.remaining()];
        frame.get(copy);
        loop.execute(() -> handle(from, copy));
    }

    @Override
    public void onPeerEvent(PeerEvent event) {
        loop.execute(() -> {
            if (event.kind() == PeerEvent.Kind.UP) {
                send(event.peer(), new WireMessage.Hello(settings.federation(), settings.node(),
                        weights.current().version()));
            } else if (event.peer().equals(router.gateway(event.peer().cluster()))) {
                // only the node this cluster is linked through: another node of that cluster going away (a twin,
                // a JGroups member never greeted) does not cut the link
                WireMessage.LinkState changed = router.linkDown(event.peer().cluster());
                if (changed != null) {
                    LOG.info("{}: link to {} down ({})", settings.node(), event.peer(), event.detail());
                    flood(changed, null);
                    routingChanged();
                }
            }
        });
    }

    // ---- API (called on the loop) ----

    public Runnable subscribe(String queue, Consumer<Delivery> handler) {
        return inbox.subscribe(queue, handler);
    }

    public SortedSet<ClusterId> reachable() {
        return router.reachable();
    }

    /** For each reachable cluster, the neighbours a frame to it can leave through, best first. */
    public SortedMap<ClusterId, List<ClusterId>> routes() {
        SortedMap<ClusterId, List<ClusterId>> out = new TreeMap<>();
        for (ClusterId c : router.reachable()) {
            if (!c.equals(self)) {
                out.put(c, router.nextHops(c, List.of(self)));
            }
        }
        return out;
    }

    public SortedMap<ClusterId, LinkStatus> links() {
        SortedMap<ClusterId, LinkStatus> out = new TreeMap<>();
        Map<NodeId, PeerState> peers = transport.peers();
        peers.forEach((peer, state) -> out.put(peer.cluster(), router.gateway(peer.cluster()) == null
                ? LinkStatus.DOWN : state == PeerState.BACKLOGGED ? LinkStatus.BACKLOGGED
                : state == PeerState.UP ? LinkStatus.UP : LinkStatus.DOWN));
        return out;
    }

    /** Sends {@code message}; the future completes as the guarantee says. */
    public void send(Message message, DeliveryOptions options, CompletableFuture<DeliveryResult> future) {
        counters.sent.increment();
        DeliveryGuarantee g = options.guarantee();
        if (g.isVoted()) {
            quorum.start(message, options, future);
            return;
        }
        if (g == DeliveryGuarantee.QUORUM) {
            future.completeExceptionally(new UnsupportedOperationException(g + " (acks from a queue's subscribers) "
                    + "arrives with the federated queues"));
            return;
        }
        SortedSet<ClusterId> targets = new TreeSet<>(options.targets());
        VectorClock clock = null;
        if (g == DeliveryGuarantee.CAUSAL) {
            if (!targets.isEmpty()) {
                future.completeExceptionally(new IllegalArgumentException("CAUSAL is a causal broadcast to every "
                        + "reachable cluster; leave targets empty (got " + targets + ")"));
                return;
            }
            targets = router.reachable();
            clock = inbox.nextCausalClock();
        } else if (targets.isEmpty()) {
            future.completeExceptionally(new IllegalArgumentException(g + " needs target clusters"));
            return;
        }
        long now = loop.nanoTime();
        Outbox.Pending p = new Outbox.Pending(message, options, targets, clock, future, now);
        outbox.add(p);
        boolean needsAck = g != DeliveryGuarantee.FIRE_AND_FORGET;
        for (ClusterId t : targets) {
            if (t.equals(self)) {
                deliverLocally(p);
            } else if (!attempt(p, t)) {
                if (g == DeliveryGuarantee.FIRE_AND_FORGET || g == DeliveryGuarantee.BROADCAST) {
                    p.fail(t, AbortReason.NO_ROUTE, "no route to cluster " + t);
                }
            }
        }
        if (!needsAck) {
            targets.stream().filter(t -> !p.resolved(t)).forEach(p.acked::add);
        }
        if (p.done()) {
            outbox.complete(p);
            return;
        }
        p.deadline = loop.schedule(options.timeout().toNanos(), () -> timeout(p));
        p.retry = loop.schedule(retryDelay(p.attempts), () -> retry(p));
    }

    public void close() {
        outbox.cancelAll("node closed");
        quorum.close();
    }

    /** The consensus engine's figures (loop thread). */
    public io.mpreg.consensus.ConsensusStatistics consensusStatistics() {
        return quorum.statistics();
    }

    // ---- sending ----

    private void deliverLocally(Outbox.Pending p) {
        WireMessage.Deliver d = new WireMessage.Deliver(p.id(), self, self, p.guarantee(), p.message, p.clock, 0,
                List.of(self));
        Inbox.Outcome outcome = inbox.arrive(d);
        if (outcome == Inbox.Outcome.REFUSED) {
            p.fail(self, AbortReason.REJECTED, inbox.refusal());
        } else {
            p.acked.add(self);
        }
    }

    /** Sends {@code p} towards {@code target} (several copies on distinct first hops for a redundant BROADCAST). */
    private boolean attempt(Outbox.Pending p, ClusterId target) {
        List<ClusterId> hops = router.nextHops(target, List.of(self));
        if (hops.isEmpty()) {
            return false;
        }
        int copies = p.guarantee() == DeliveryGuarantee.BROADCAST ? Math.min(p.options.redundancy(), hops.size()) : 1;
        boolean any = false;
        for (int route = 0; route < copies; route++) {
            any |= sendTo(hops.get(route), new WireMessage.Deliver(p.id(), self, target, p.guarantee(), p.message,
                    p.clock, route, List.of(self)));
        }
        return any;
    }

    private void retry(Outbox.Pending p) {
        if (outbox.get(p.id()) != p) {
            return;
        }
        p.attempts++;
        for (ClusterId t : p.targets) {
            if (!p.resolved(t)) {
                counters.retries.increment();
                attempt(p, t);
            }
        }
        p.retry = loop.schedule(retryDelay(p.attempts), () -> retry(p));
    }

    private void timeout(Outbox.Pending p) {
        if (outbox.get(p.id()) != p) {
            return;
        }
        for (ClusterId t : p.targets) {
            p.fail(t, AbortReason.TIMEOUT, "no acknowledgement within " + p.options.timeout().toMillis() + " ms");
        }
        outbox.complete(p);
    }

    private long retryDelay(int attempt) {
        return settings.retryDelay(attempt);
    }

    private boolean sendTo(ClusterId neighbour, WireMessage message) {
        NodeId gateway = router.gateway(neighbour);
        return gateway != null && send(gateway, message);
    }

    private boolean send(NodeId peer, WireMessage message) {
        try {
            return transport.send(peer, codec.encode(message)) == SendStatus.ACCEPTED;
        } catch (TransportException | WireException | IllegalStateException e) {
            LOG.debug("{}: cannot send {} to {}: {}", settings.node(), message.getClass().getSimpleName(), peer,
                    e.getMessage());
            return false;
        }
    }

    private void flood(WireMessage.LinkState state, ClusterId except) {
        for (ClusterId n : router.links().keySet()) {
            if (!n.equals(except)) {
                sendTo(n, state);
            }
        }
    }

    private void gossipTick() {
        router.expire(loop.nanoTime());
        routingChanged();
        flood(router.ownState(), null);
        loop.schedule(settings.gossipInterval().toNanos(), this::gossipTick);
    }

    // ---- receiving ----

    private void handle(NodeId from, byte[] frame) {
        WireMessage message;
        try {
            message = codec.decode(ByteBuffer.wrap(frame));
        } catch (WireException e) {
            counters.undecodable.increment();
            LOG.warn("{}: dropped an undecodable frame from {}: {}", settings.node(), from, e.getMessage());
            return;
        }
        if (message instanceof WireMessage.Hello) {
            onHello(from, (WireMessage.Hello) message);
        } else if (router.gateway(from.cluster()) == null || !router.gateway(from.cluster()).equals(from)) {
            LOG.debug("{}: ignored a frame from {} before its hello", settings.node(), from);
        } else if (message instanceof WireMessage.LinkState) {
            WireMessage.LinkState state = (WireMessage.LinkState) message;
            if (router.accept(state, loop.nanoTime())) {
                weights.heard(state.origin(), state.tableVersion(), state.tableHash());
                flood(state, from.cluster());
                routingChanged();
            }
        } else if (message instanceof WireMessage.Weights) {
            onWeights(from, (WireMessage.Weights) message);
        } else if (message instanceof WireMessage.Routed && !((WireMessage.Routed) message).destination().equals(self)) {
            relay((WireMessage.Routed) message);
        } else if (message instanceof WireMessage.Deliver) {
            onDeliver((WireMessage.Deliver) message);
        } else if (message instanceof WireMessage.Ack) {
            onAck((WireMessage.Ack) message);
        } else if (message instanceof WireMessage.Nack) {
            onNack((WireMessage.Nack) message);
        } else if (message instanceof WireMessage.Prepare) {
            quorum.onPrepare((WireMessage.Prepare) message);
        } else if (message instanceof WireMessage.VoteFrame) {
            quorum.onVote((WireMessage.VoteFrame) message);
        } else if (message instanceof WireMessage.DecisionFrame) {
            quorum.onDecisionFrame((WireMessage.DecisionFrame) message);
        }
    }

    private void onHello(NodeId from, WireMessage.Hello hello) {
        if (!hello.federation().equals(settings.federation()) || !hello.node().equals(from)) {
            LOG.warn("{}: ignored hello from {} claiming {} of federation '{}' (this is '{}')", settings.node(), from,
                    hello.node(), hello.federation(), settings.federation());
            return;
        }
        if (from.cluster().equals(self)) {
            return; // one gateway per cluster for now
        }
        WireMessage.LinkState own = router.linkUp(from.cluster(), from);
        LOG.info("{}: linked with {}", settings.node(), from);
        flood(own, null);
        WeightTable table = weights.current();
        sendTo(from.cluster(), new WireMessage.Weights(settings.node(), table.version(), table.asMap()));
        routingChanged();
    }

    private void onWeights(NodeId from, WireMessage.Weights w) {
        WeightTable table;
        try {
            table = WeightTable.of(w.version(), w.weights());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: ignored an invalid weight table from {}: {}", settings.node(), w.origin(), e.getMessage());
            return;
        }
        if (weights.adopt(table)) {
            LOG.info("{}: adopted weight table v{} from {}", settings.node(), table.version(), w.origin());
            for (ClusterId n : router.links().keySet()) {
                if (!n.equals(from.cluster())) {
                    sendTo(n, w);
                }
            }
            flood(router.ownState(), null);
        }
    }

    /** Changes the weight table here; the new version spreads to every node by gossip. */
    public long updateWeights(Map<ClusterId, Long> newWeights) {
        WeightTable table = weights.change(newWeights);
        WireMessage.Weights w = new WireMessage.Weights(settings.node(), table.version(), table.asMap());
        router.links().keySet().forEach(n -> sendTo(n, w));
        flood(router.ownState(), null);
        return table.version();
    }

    public long weightTableVersion() {
        return weights.current().version();
    }

    /** For every node heard of, whether it counts with this node's weight table. */
    public SortedMap<NodeId, Boolean> weightAgreement() {
        return weights.agreement();
    }

    private void onDeliver(WireMessage.Deliver d) {
        Inbox.Outcome outcome = inbox.arrive(d);
        if (d.guarantee() == DeliveryGuarantee.FIRE_AND_FORGET) {
            return;
        }
        if (outcome == Inbox.Outcome.REFUSED) {
            reply(new WireMessage.Nack(d.id(), self, d.origin(), inbox.refusal(), List.of(self)));
        } else {
            reply(new WireMessage.Ack(d.id(), self, d.origin(), List.of(self)));
        }
    }

    private void onAck(WireMessage.Ack a) {
        Outbox.Pending p = outbox.get(a.id());
        if (p == null || !p.targets.contains(a.from()) || p.resolved(a.from())) {
            return; // late or repeated
        }
        counters.acks.increment();
        counters.recordAckLatency(loop.nanoTime() - p.startedAt);
        p.acked.add(a.from());
        if (p.done()) {
            outbox.complete(p);
        }
    }

    private void onNack(WireMessage.Nack n) {
        Outbox.Pending p = outbox.get(n.id());
        if (p == null || !p.targets.contains(n.from()) || p.resolved(n.from())) {
            return;
        }
        counters.nacks.increment();
        p.fail(n.from(), AbortReason.REJECTED, n.reason());
        if (p.done()) {
            outbox.complete(p);
        }
    }

    /** Clusters that became unreachable leave the voting rounds they are targets of (they cannot vote now). */
    private void routingChanged() {
        SortedSet<ClusterId> now = router.reachable();
        for (ClusterId gone : lastReachable) {
            if (!now.contains(gone)) {
                quorum.departed(gone, "unreachable from " + self);
            }
        }
        lastReachable = now;
    }

    private void reply(WireMessage.Routed message) {
        if (!sendToward(message)) {
            counters.noRoute.increment(); // the sender retries; its retry gets a fresh reply
        }
    }

    /** Sends a frame that starts here towards its destination by the best route. */
    private boolean sendToward(WireMessage.Routed frame) {
        return sendToward(frame, 1);
    }

    /** As {@link #sendToward(WireMessage.Routed)}, over up to {@code routes} distinct first hops. */
    private boolean sendToward(WireMessage.Routed frame, int routes) {
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
    private void relay(WireMessage.Routed frame) {
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
