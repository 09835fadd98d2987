package io.mpreg.federation.internal;

import io.mpreg.federation.internal.delivery.Courier;
import io.mpreg.federation.internal.delivery.Inbox;
import io.mpreg.federation.internal.delivery.Timeouts;
import io.mpreg.federation.internal.link.LinkGuard;
import io.mpreg.federation.internal.link.Router;
import io.mpreg.federation.internal.queue.Discovery;
import io.mpreg.federation.internal.queue.LocalQueues;
import io.mpreg.federation.internal.queue.QueueLog;
import io.mpreg.federation.internal.queue.QueueRecovery;
import io.mpreg.federation.internal.log.Journal;
import io.mpreg.federation.internal.log.LogTime;
import io.mpreg.federation.internal.log.StateLog;
import io.mpreg.federation.storage.StorageException;
import io.mpreg.federation.internal.queue.RemoteConsumers;
import io.mpreg.federation.internal.queue.Subscriptions;
import io.mpreg.federation.internal.link.Links;
import io.mpreg.federation.internal.round.RoundCoordinator;
import io.mpreg.federation.internal.round.Voter;
import io.mpreg.federation.internal.round.WeightGossip;
import io.mpreg.federation.internal.round.WeightBook;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.FrameReceiver;
import io.mpreg.api.spi.transport.PeerEvent;
import io.mpreg.api.spi.transport.PeerState;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportException;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.EventLoop;
import io.mpreg.federation.LinkStatus;
import io.mpreg.federation.internal.wire.LinkHeader;
import io.mpreg.federation.internal.wire.WireCodec;
import io.mpreg.federation.internal.wire.WireException;
import io.mpreg.federation.internal.wire.OriginSeal;
import io.mpreg.federation.internal.wire.SignedContent;
import io.mpreg.federation.internal.wire.WireMessage;
import io.mpreg.federation.queue.NoSuchQueueException;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.QueueInfo;
import io.mpreg.federation.queue.QueuePattern;
import io.mpreg.federation.queue.QueueStatistics;
import io.mpreg.federation.queue.SubscribeOptions;
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
 * A node's protocol: hellos, links and link-state gossip, weight-table gossip, relaying with visited lists; it
 * hands the unvoted guarantees to the {@link Courier} and the voted ones to the {@link RoundCoordinator} and the
 * {@link Voter}; everything leaves through {@link Links}. Transport callbacks copy
 * the frame and post it to the loop; everything else runs on the loop.
 */
public final class NodeCore implements FrameReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCore.class);

    private final NodeSettings settings;
    private final EventLoop loop;
    /** Messages from the network posted to the loop and not yet handled, bounded: a full loop stops the readers. */
    private final java.util.concurrent.Semaphore inbound;
    private volatile boolean closed;
    private final Transport transport;
    private final WireCodec codec;
    private final Counters counters;
    private final Router router;
    private final WeightBook weights;
    private final Inbox inbox;
    private final LocalQueues localQueues;
    private final Discovery discovery;
    private final Subscriptions subscriptions;
    private final RemoteConsumers remoteConsumers;
    private final RoundCoordinator coordinator;
    private final Voter voter;
    private final Links links;
    private final WeightGossip weightGossip;
    private final Courier courier;
    private final Timeouts timeouts;
    private final LinkGuard guard;
    private SortedSet<ClusterId> lastReachable = new TreeSet<>();
    private final ClusterId self;
    private final StateLog stateLog;
    private final QueueLog queueLog;

    public NodeCore(NodeSettings settings, EventLoop loop, Transport transport, WireCodec codec, Counters counters,
                    StateLog stateLog) {
        this.stateLog = stateLog;
        LogTime time = new LogTime(loop::nanoTime, settings.wallClock());
        this.queueLog = new QueueLog(stateLog, time);
        this.settings = settings;
        this.loop = loop;
        this.transport = transport;
        this.codec = codec;
        this.counters = counters;
        this.self = settings.node().cluster();
        this.weights = new WeightBook(settings.table());
        OriginSeal seal = settings.signing().originSeal();
        this.router = new Router(settings.node(), settings.gossipInterval().toNanos() * 5, weights::current,
                settings.wallClock().millis() * 1000, seal, this::gossipRefused);
        long firstRound = io.mpreg.federation.internal.round.RoundNumbers.first(settings.wallClock(),
                settings.random()); // drawn before the link epoch
        this.guard = new LinkGuard(LinkGuard.newEpoch(settings.random()));
        this.inbound = new java.util.concurrent.Semaphore(settings.inboundLimit());
        this.links = new Links(settings.node(), transport, codec, guard, router, counters, this::dispatch, loop,
                settings.batching());
        this.weightGossip = new WeightGossip(settings, weights, links, router, counters);
        this.localQueues = new LocalQueues(settings, loop, new LocalQueues.Changes() {
            @Override
            public void deleted(String name) {
                remoteConsumers.forget(name);
            }

            @Override
            public void changed() { // re-bind the subscriptions here, tell the others
                subscriptions.rebindAll();
                discovery.advertise();
            }
        }, queueLog);
        this.discovery = new Discovery(settings, loop, links, localQueues, seal, this::gossipRefused);
        this.subscriptions = new Subscriptions(settings, loop, links, localQueues, discovery);
        this.remoteConsumers = new RemoteConsumers(settings, loop, links, localQueues);
        this.inbox = new Inbox(settings, counters, loop, localQueues, stateLog, time);
        this.timeouts = new Timeouts(settings.defaultTimeout(), counters);
        this.coordinator = new RoundCoordinator(settings, loop, counters, inbox, links, weights::current, timeouts,
                firstRound, stateLog, time, Math.min(256 * 1024, codec.maxFrameBytes() / 4));
        this.voter = new Voter(settings, loop, counters, inbox, links, weights::current, stateLog, time);
        coordinator.ownVotes(voter::signing);
        this.courier = new Courier(settings, loop, counters, inbox, discovery, router, links, timeouts, stateLog);
    }

    /** Starts the periodic gossip; call on the loop after the transport started. */
    public void start() {
        // for one gossip interval a message for a queue not created yet is answered later, not refused: the
        // application may still be creating its queues
        inbox.startingUntil(loop.nanoTime() + settings.gossipInterval().toNanos());
        loop.schedule(settings.gossipInterval().toNanos(), this::gossipTick);
    }

    // ---- transport callbacks (transport threads) ----

    @Override
    public void onFrame(NodeId from, ByteBuffer frame) {
        WireCodec.Frame decoded; // decoded here, on the transport's thread: the loop only acts on it
        try {
            decoded = codec.decode(frame);
        } catch (WireException e) {
            counters.undecodable.increment();
            boolean closed = transport.disconnect(from, "undecodable federation frame: " + e.kind());
            LOG.warn("{}: dropped an undecodable frame from {}{}: {}", settings.node(), from,
                    closed ? " and closed the link" : "", e.getMessage());
            return;
        }
        WireMessage message = decoded.message();
        LinkGuard.Check check = guard.check(from, decoded.link(), message instanceof WireMessage.Hello);
        if (check != LinkGuard.Check.ACCEPTED) {
            (check == LinkGuard.Check.REPLAYED ? counters.replayed : counters.stale).increment();
            LOG.debug("{}: refused a {} frame from {}: {}", settings.node(), check, from, decoded.link());
            return;
        }
        if (message instanceof WireMessage.Batch batch) {
            // each message of a batch is checked on its own; those admitted are handled in one loop task, in order
            List<WireMessage> admitted = new ArrayList<>(batch.messages().size());
            for (WireMessage m : batch.messages()) {
                if (admits(from, m)) {
                    admitted.add(m);
                }
            }
            if (!admitted.isEmpty()) {
                post(admitted.size(), () -> admitted.forEach(m -> handle(from, m)));
            }
        } else if (admits(from, message)) {
            post(1, () -> handle(from, message));
        }
    }

    /**
     * Posts what {@code messages} messages from the network need to the loop, once the loop holds fewer than its
     * bound ({@link NodeSettings#inboundLimit}): until then the transport's thread waits here, so it reads no more
     * from the peer and the peer's transport queue fills (TCP's flow control, JGroups' credits). A simulator's loop
     * (frames handed over on the loop itself) is not bounded.
     */
    private void post(int messages, Runnable task) {
        if (loop.inLoop()) {
            loop.execute(task);
            return;
        }
        int permits = Math.min(messages, settings.inboundLimit());
        try {
            if (!inbound.tryAcquire(permits)) {
                counters.inboundFull.increment();
                while (!inbound.tryAcquire(permits, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    if (closed) {
                        return; // the loop is closing: what it would not run is dropped
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the transport is closing
            return;
        }
        loop.execute(() -> {
            try {
                task.run();
            } finally {
                inbound.release(permits);
            }
        });
    }

    /**
     * The checks a message passes on the transport's thread before the loop acts on it (signatures are verified
     * here so that verification stays off the loop); false, counted and logged, for one that fails.
     */
    private boolean admits(NodeId from, WireMessage message) {
        if (message instanceof WireMessage.VoteFrame vote && vote.destination().equals(self)
                && !coordinator.acceptsSignature(vote)) {
            counters.votesRejected.increment();
            LOG.warn("{}: refused a vote of {} for round {} from {}: not signed by its voter", settings.node(),
                    vote.vote().voter(), vote.vote().round(), from);
            return false;
        }
        if ((message instanceof WireMessage.DecisionFrame || message instanceof WireMessage.Prepare)
                && ((WireMessage.Routed) message).destination().equals(self)
                && roundOf(message).coordinator().equals(self)) {
            // this node's own rounds are prepared and decided by this node alone, never over the network
            counters.forgeriesRefused.increment();
            LOG.warn("{}: refused a {} of its own round {} from {}", settings.node(),
                    message.getClass().getSimpleName(), roundOf(message), from);
            return false;
        }
        if (message instanceof WireMessage.DecisionFrame decision && decision.destination().equals(self)
                && !settings.signing().acceptsAbort(decision)) {
            // (a COMMIT's certificate is checked by the voter)
            counters.forgeriesRefused.increment();
            LOG.warn("{}: refused an ABORT ({}) of round {} from {}: not signed by its coordinator", settings.node(),
                    decision.reason(), decision.round(), from);
            return false;
        }
        if (message instanceof WireMessage.Routed answer && answer.destination().equals(self)
                && !answerProven(from, message)) {
            counters.forgeriesRefused.increment();
            LOG.warn("{}: refused a {} of {} relayed by {}: not signed by {}", settings.node(),
                    message.getClass().getSimpleName(), originOf(message), from, originOf(message));
            return false;
        }
        return true;
    }

    /**
     * Whether {@code message}, if an ACK or NACK for this cluster, is proven to come from the cluster it names: by the
     * link's bound certificate when it comes straight from it, else by that cluster's signature (an honest origin
     * signs every answer it does not send over a direct link). Anything else is not an answer and passes.
     */
    private boolean answerProven(NodeId from, WireMessage message) {
        ClusterId origin = originOf(message);
        if (origin == null || origin.equals(from.cluster())) {
            return true;
        }
        OriginSeal seal = settings.signing().originSeal();
        return message instanceof WireMessage.Ack a ? seal.verify(origin, SignedContent.content(a), a.signature())
                : seal.verify(origin, SignedContent.content((WireMessage.Nack) message),
                ((WireMessage.Nack) message).signature());
    }

    private static io.mpreg.api.RoundId roundOf(WireMessage message) {
        return message instanceof WireMessage.Prepare p ? p.round() : ((WireMessage.DecisionFrame) message).round();
    }

    @Override
    public void onPeerEvent(PeerEvent event) {
        loop.execute(() -> {
            if (event.kind() == PeerEvent.Kind.UP) {
                if (settings.peers().contains(event.peer())) {
                    links.send(event.peer(), new WireMessage.Hello(settings.federation(), settings.node(),
                            weights.current().version()));
                }
            } else if (event.peer().equals(router.gateway(event.peer().cluster()))) {
                // only the node this cluster is linked through: another node of that cluster going away (a twin,
                // a JGroups member never greeted) does not cut the link
                WireMessage.LinkState changed = router.linkDown(event.peer().cluster());
                if (changed != null) {
                    LOG.info("{}: link to {} down ({})", settings.node(), event.peer(), event.detail());
                    links.flood(changed, null);
                    routingChanged();
                }
            }
        });
    }

    // ---- API (called on the loop) ----

    public Runnable subscribe(QueuePattern pattern, SubscribeOptions options, Consumer<Delivery> handler) {
        return subscriptions.subscribe(pattern, options, handler);
    }

    /**
     * Rebuilds this node's state from {@code journal} and starts appending to it; call on the loop before
     * {@link #start} and before any queue is created.
     *
     * @return what came back
     */
    public Recovered recover(Journal journal) {
        QueueRecovery queues = new QueueRecovery();
        Journal.Recovery found = journal.recover((type, payload) -> {
            if (!queues.record(type, payload) && !inbox.replay(type, payload) && !courier.replay(type, payload)
                    && !voter.replay(type, payload) && !coordinator.replay(type, payload)) {
                throw new StorageException("the log " + journal.describe() + " holds a record of unknown type "
                        + type + ": written by another version (types 14 and 17, votes and decisions without "
                        + "certificates, are read no more)");
            }
        });
        stateLog.attach(journal);
        journal.start(loop, sink -> {
            localQueues.snapshot(sink);
            inbox.snapshot(sink);
            courier.snapshot(sink);
            voter.snapshot(sink);
            coordinator.snapshot(sink);
        });
        int messages = queues.apply(localQueues, queueLog);
        localQueues.recovered();
        int heldBack = inbox.recovered();
        int resent = courier.recovered();
        int held = voter.recovered();
        int ended = coordinator.recovered(); // (what these append is synced once the loop runs)
        return new Recovered(found, messages, heldBack, resent, held, ended);
    }

    /**
     * What {@link #recover} found: the log's figures, the queued messages put back, the CAUSAL messages held back
     * again, this node's CAUSAL sends sent again, the messages held again for undecided yes votes, and the rounds this
     * node coordinated that ended as ABORT because it had not decided them before its restart.
     */
    public record Recovered(Journal.Recovery log, int messages, int causalHeld, int causalResent, int votesHeld,
                            int roundsEnded) {
    }

    public QueueInfo createQueue(QueueConfig config) {
        return localQueues.create(config);
    }

    public boolean deleteQueue(String name) {
        return localQueues.delete(name);
    }

    public List<QueueInfo> discover(QueuePattern pattern) {
        return discovery.discover(pattern);
    }

    public SortedMap<String, QueueStatistics> queueStatistics() {
        return localQueues.statistics();
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
        DeliveryGuarantee g = options.guarantee();
        if (g.isVoted()) {
            counters.sent.increment();
            if (options.targets().isEmpty()) { // every cluster that holds the queue
                SortedSet<ClusterId> owners = discovery.owners(message.queue());
                if (owners.isEmpty()) {
                    future.completeExceptionally(new NoSuchQueueException(message.queue(), self,
                            discovery.owners("*")));
                    return;
                }
                options = options.withTargets(owners);
            }
            coordinator.start(message, options, future);
        } else {
            courier.send(message, options, future);
        }
    }

    public void close() {
        closed = true;
        courier.close();
        coordinator.close();
    }

    /** The node closed and then its log ({@code synced}: all it appended is on disk); off the loop, which is closed. */
    public void logClosed(boolean synced) {
        coordinator.logClosed(synced);
    }

    /** The timeout a send that leaves it to the node gets now. */
    public java.time.Duration defaultTimeout() {
        return timeouts.current();
    }

    /** The voted rounds open at this coordinator (loop thread). */
    public List<io.mpreg.api.SignedEquivocation> evidence() {
        return coordinator.evidence();
    }

    public List<io.mpreg.consensus.RoundSnapshot> openRounds() {
        return coordinator.openRounds();
    }

    /** The consensus engine's figures (loop thread). */
    public io.mpreg.consensus.ConsensusStatistics consensusStatistics() {
        return coordinator.statistics();
    }

    /** How long messages waited in this node's queues for their first consumer, under the fixed latency bounds. */
    public io.mpreg.api.LatencyBuckets queueWaitBuckets() {
        return localQueues.waitBuckets();
    }

    /** Decision times of the rounds this node coordinated, under the fixed latency bounds. */
    public io.mpreg.api.LatencyBuckets decisionBuckets() {
        return coordinator.decisionBuckets();
    }

    /** Voted rounds this cluster holds a message for past their deadline, no decision heard yet. */
    public int roundsInDoubt() {
        return voter.inDoubt();
    }

    private void gossipTick() {
        router.expire(loop.nanoTime());
        routingChanged();
        // hellos again, to every peer the transport has up: a hello lost on the way (a cut, a full queue) would
        // otherwise leave that peer ignoring this node's frames until the link next went down and up
        WireMessage.Hello hello = new WireMessage.Hello(settings.federation(), settings.node(),
                weights.current().version());
        transport.peers().forEach((peer, state) -> {
            if (state != PeerState.DOWN && settings.peers().contains(peer)) {
                links.send(peer, hello);
            }
        });
        links.flood(router.ownState(), null);
        // queues: forget stale advertisements and leases, renew this node's leases, advertise its queues
        long now = loop.nanoTime();
        boolean expired = discovery.expire(now);
        remoteConsumers.expire(now);
        if (expired) {
            subscriptions.rebindAll();
        }
        subscriptions.renewLeases();
        discovery.advertise();
        loop.schedule(settings.gossipInterval().toNanos(), this::gossipTick);
    }

    // ---- receiving ----

    /** A link state or queue advertisement whose content its origin did not sign: refused and counted. */
    private void gossipRefused() {
        counters.forgeriesRefused.increment();
        LOG.warn("{}: refused gossip its origin did not sign", settings.node());
    }

    private void handle(NodeId from, WireMessage message) {
        if (message instanceof WireMessage.Hello) {
            onHello(from, (WireMessage.Hello) message);
        } else if (router.gateway(from.cluster()) == null || !router.gateway(from.cluster()).equals(from)) {
            LOG.debug("{}: ignored a frame from {} before its hello", settings.node(), from);
        } else if (message instanceof WireMessage.LinkState) {
            WireMessage.LinkState state = (WireMessage.LinkState) message;
            if (router.accept(state, loop.nanoTime(), from.equals(state.origin()))) {
                weights.heard(state.origin(), state.tableVersion(), state.tableHash());
                links.flood(state, from.cluster());
                routingChanged();
            }
        } else if (message instanceof WireMessage.Weights) {
            weightGossip.onWeights(from.cluster(), (WireMessage.Weights) message);
        } else if (message instanceof WireMessage.QueueAds) {
            WireMessage.QueueAds ads = (WireMessage.QueueAds) message;
            if (discovery.onAds(ads, from.equals(ads.origin()))) {
                subscriptions.rebindAll();
                links.flood(message, from.cluster());
            }
        } else if (message instanceof WireMessage.Routed && !((WireMessage.Routed) message).destination().equals(self)) {
            links.relay((WireMessage.Routed) message);
        } else if (message instanceof WireMessage.Routed) {
            dispatch((WireMessage.Routed) message);
        }
    }

    private static ClusterId originOf(WireMessage message) {
        return message instanceof WireMessage.Ack a ? a.from()
                : message instanceof WireMessage.Nack n ? n.from() : null;
    }

    /** A frame addressed to this cluster, from a peer or from this node itself ({@link Links#local}). */
    private void dispatch(WireMessage.Routed message) {
        if (message instanceof WireMessage.Deliver) {
            courier.onDeliver((WireMessage.Deliver) message);
        } else if (message instanceof WireMessage.Ack) {
            courier.onAck((WireMessage.Ack) message);
        } else if (message instanceof WireMessage.Nack) {
            courier.onNack((WireMessage.Nack) message);
        } else if (message instanceof WireMessage.Prepare) {
            voter.onPrepare((WireMessage.Prepare) message);
        } else if (message instanceof WireMessage.VoteFrame) {
            coordinator.onVote((WireMessage.VoteFrame) message);
        } else if (message instanceof WireMessage.DecisionFrame) {
            voter.onDecisionFrame((WireMessage.DecisionFrame) message);
        } else if (message instanceof WireMessage.DecisionQuery) {
            voter.onDecisionQuery((WireMessage.DecisionQuery) message);
        } else if (message instanceof WireMessage.QueueSubscribe) {
            remoteConsumers.onQueueSubscribe((WireMessage.QueueSubscribe) message);
        } else if (message instanceof WireMessage.QueueDeliver) {
            subscriptions.onQueueDeliver((WireMessage.QueueDeliver) message);
        } else if (message instanceof WireMessage.QueueAck) {
            remoteConsumers.onQueueAck((WireMessage.QueueAck) message);
        }
    }

    private void onHello(NodeId from, WireMessage.Hello hello) {
        if (!hello.federation().equals(settings.federation()) || !hello.node().equals(from)) {
            LOG.warn("{}: ignored hello from {} claiming {} of federation '{}' (this is '{}')", settings.node(), from,
                    hello.node(), hello.federation(), settings.federation());
            return;
        }
        if (from.cluster().equals(self) || from.equals(router.gateway(from.cluster()))) {
            return; // same cluster (one gateway per cluster for now), or a repeated hello of a linked peer
        }
        if (!settings.peers().contains(from)) {
            LOG.debug("{}: ignored hello from {}: not among its configured peers", settings.node(), from);
            return;
        }
        WireMessage.LinkState own = router.linkUp(from.cluster(), from);
        LOG.info("{}: linked with {}", settings.node(), from);
        links.flood(own, null);
        links.sendTo(from.cluster(), weightGossip.current());
        links.sendTo(from.cluster(), discovery.ownAds());
        routingChanged();
        // (a coordinator back from a restart may still count as reachable through a third cluster's stale link state)
        voter.reachable(from.cluster());
    }

    /** Proposes a new weight table; it takes effect once a Byzantine quorum approved it ({@link WeightGossip}). */
    public long updateWeights(Map<ClusterId, Long> newWeights) {
        return weightGossip.propose(newWeights);
    }

    /** This cluster's operator approves the proposed weight table {@code version}; false if none is pending. */
    public boolean approveWeights(long version, ClusterId proposer) {
        return weightGossip.approve(version, proposer);
    }

    public java.util.List<io.mpreg.federation.WeightProposal> weightProposals() {
        return weightGossip.pending();
    }

    public long weightTableVersion() {
        return weights.current().version();
    }

    /** For every node heard of, whether it counts with this node's weight table. */
    public SortedMap<NodeId, Boolean> weightAgreement() {
        return weights.agreement();
    }

    /**
     * Clusters that became unreachable leave the voting rounds they are targets of (they cannot vote now); a
     * coordinator that became reachable (back from a restart or a partition) is asked at once for the decisions this
     * cluster waits for.
     */
    private void routingChanged() {
        SortedSet<ClusterId> now = router.reachable();
        for (ClusterId gone : lastReachable) {
            if (!now.contains(gone)) {
                coordinator.departed(gone, "unreachable from " + self);
            }
        }
        for (ClusterId back : now) {
            if (!lastReachable.contains(back)) {
                voter.reachable(back);
            }
        }
        lastReachable = now;
    }
}
