package io.mpreg.federation;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.federation.internal.Counters;
import io.mpreg.federation.internal.NodeCore;
import io.mpreg.federation.internal.log.Journal;
import io.mpreg.federation.internal.log.StateLog;
import io.mpreg.federation.storage.Disk;
import io.mpreg.federation.storage.StorageStatistics;
import io.mpreg.federation.internal.NodeSettings;
import io.mpreg.federation.internal.wire.WireCodec;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.QueueInfo;
import io.mpreg.federation.queue.QueuePattern;
import io.mpreg.federation.queue.QueueStatistics;
import io.mpreg.federation.queue.SubscribeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.ObjectName;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One node of a federation: the gateway of its cluster. Build it with {@link #builder()}, {@link #start()} it,
 * {@link #subscribe} to queues and {@link #send} messages with a delivery guarantee; {@link #close()} it.
 *
 * <p>Guarantees available today: FIRE_AND_FORGET (the future completes once the message was handed to the
 * transport for each target; {@code deliveredTo} lists those targets), AT_LEAST_ONCE (completes when every target
 * acknowledged; retried with capped, jittered backoff until the options' timeout; receivers drop duplicates by
 * message id; a refusal names its reason; a timeout fails with TIMEOUT), BROADCAST (every target, with
 * {@code redundancy} copies over distinct first hops; {@code requireAll} or a majority; a target without a route
 * fails at once, naming it), CAUSAL (a causal broadcast to every reachable cluster: leave targets empty;
 * delivered in causal order with vector clocks and a bounded hold-back buffer), and the voted GLOBAL_QUORUM and
 * BYZANTINE_QUORUM (PREPARE, votes weighed by the node's weight table, DECISION; subscribers get the message only
 * on COMMIT; the result names the committed clusters, each refusal and the abort reason), and QUORUM (the target
 * acknowledges once {@code requiredAcks} subscribers of its queue did).
 *
 * <p>Messages live in queues: {@link #createQueue} makes one on this cluster and advertises it; a send whose options
 * name no targets goes to the cluster that holds the message's queue (BROADCAST: every one; none:
 * {@link io.mpreg.federation.queue.NoSuchQueueException}); {@link #subscribe} takes from matching queues anywhere in
 * the federation.
 *
 * <p>Threading: every method is thread-safe. The protocol state is owned by one event-loop thread; calls post to
 * it and return futures. Subscriber callbacks run on the node's subscriber executor, never on the loop.
 *
 * @since 0.1.0
 */
public final class FederationNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FederationNode.class);
    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int CLOSED = 2;

    private final NodeSettings settings;
    private final Transport transport;
    private final EventLoop loop;
    private final Counters counters = new Counters();
    private final NodeCore core;
    private final ExecutorService ownedExecutor;
    private final AtomicInteger state = new AtomicInteger(NEW);
    /** Sends the loop has not taken yet: a close() racing them cancels those its closed loop dropped. */
    private final Map<CompletableFuture<DeliveryResult>, Unsent> unsent = new java.util.concurrent.ConcurrentHashMap<>();
    private ObjectName mbean;
    private final boolean jmx;
    private final List<QueueConfig> queues;
    private final NodeStorage storage;
    private final String transportName;
    private volatile java.time.Instant startedAt;

    FederationNode(NodeSettings settings, Transport transport, String transportName, EventLoop loop,
                   ExecutorService ownedExecutor, int maxFrameBytes, boolean jmx, List<QueueConfig> queues,
                   Supplier<Disk> diskOpener, long logSegmentBytes) {
        this.transportName = transportName;
        this.queues = queues;
        this.storage = new NodeStorage(diskOpener, logSegmentBytes);
        this.settings = settings;
        this.jmx = jmx;
        this.transport = transport;
        this.loop = loop;
        this.ownedExecutor = ownedExecutor;
        this.core = new NodeCore(settings, loop, transport, new WireCodec(maxFrameBytes), counters,
                diskOpener == null ? StateLog.inMemory() : StateLog.durable());
    }

    /** A builder; see {@link FederationNodeBuilder} for what is required. */
    public static FederationNodeBuilder builder() {
        return new FederationNodeBuilder();
    }

    public NodeId id() {
        return settings.node();
    }

    public ClusterId cluster() {
        return settings.node().cluster();
    }

    public String federation() {
        return settings.federation();
    }

    /** The name of the transport plugin this node runs on ({@code tcp}, {@code jgroups}, a third party's). */
    public String transportName() {
        return transportName;
    }

    /** The gateways this node was configured to link with (empty: a federation of one, or linked by others only). */
    public java.util.SortedSet<NodeId> configuredPeers() {
        return java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(settings.peers()));
    }

    /** When {@link #start()} returned, on the node's wall clock; null before. */
    public java.time.Instant startedAt() {
        return startedAt;
    }

    /** Whether the node is started and not closed. */
    public boolean isRunning() {
        return state.get() == STARTED;
    }

    /** Where the transport listens (the real port if the config asked for port 0); null before start. */
    public InetSocketAddress boundAddress() {
        return transport.boundAddress();
    }

    /**
     * Starts the transport and the node's protocol; links come up asynchronously.
     *
     * @throws IllegalStateException if already started or closed
     * @throws io.mpreg.api.spi.transport.TransportException if the transport cannot start
     */
    public FederationNode start() {
        if (!state.compareAndSet(NEW, STARTED)) {
            throw new IllegalStateException("node " + id() + " was already " + (state.get() == STARTED ? "started"
                    : "closed"));
        }
        try {
            storage.recover(id(), loop, core);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        queues.forEach(q -> loop.execute(() -> core.createQueue(q))); // before any frame can arrive
        try {
            transport.start(core);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        loop.execute(core::start);
        if (jmx) {
            mbean = NodeManagement.register(id(), new NodeManagement(counters,
                    () -> state.get() == STARTED ? onLoop(core::queueStatistics) : Map.of(),
                    () -> state.get() == STARTED ? onLoop(core::links) : Map.of(),
                    () -> state.get() == STARTED ? onLoop(core::roundsInDoubt) : 0));
        }
        startedAt = settings.wallClock().instant();
        LOG.info("{}: federation node of '{}' started on {}", id(), federation(), boundAddress());
        return this;
    }

    /** Where the node keeps its state and how its log is doing. */
    public StorageStatistics storageStatistics() {
        return storage.statistics(state.get() == STARTED ? this::onLoop : null);
    }

    /**
     * Sends {@code message} with {@code options}. The future completes with the outcome; it completes
     * exceptionally only for a request the node cannot serve (a guarantee not available yet, missing or forbidden
     * targets).
     */
    public CompletableFuture<DeliveryResult> send(Message message, DeliveryOptions options) {
        if (message == null || options == null) {
            throw new IllegalArgumentException("send needs a message and options, got " + message + ", " + options);
        }
        requireStarted();
        CompletableFuture<DeliveryResult> future = new CompletableFuture<>();
        unsent.put(future, new Unsent(message, options));
        if (state.get() != STARTED) {
            cancel(future);
        } else {
            loop.execute(() -> {
                if (unsent.remove(future) == null) {
                    return; // cancelled by close()
                }
                if (state.get() != STARTED) {
                    completeCancelled(future, message, options);
                    return;
                }
                try {
                    core.send(message, options, future);
                } catch (RuntimeException e) { // a bug or a plugin's: the caller hears of it, the loop goes on
                    LOG.error("{}: send of {} failed", id(), message.id(), e);
                    future.completeExceptionally(e);
                }
            });
        }
        return settings.offLoop(future);
    }

    private void cancel(CompletableFuture<DeliveryResult> future) {
        Unsent u = unsent.remove(future);
        if (u != null) {
            completeCancelled(future, u.message(), u.options());
        }
    }

    private void completeCancelled(CompletableFuture<DeliveryResult> future, Message message,
                                   DeliveryOptions options) {
        future.complete(DeliveryResult.failed(message.id(), options.guarantee(), AbortReason.CANCELLED,
                Map.of(cluster(), "node closed")));
    }

    private record Unsent(Message message, DeliveryOptions options) {
    }

    /**
     * Creates a queue on this cluster and advertises it to the federation at once (and every gossip interval after).
     * Creating it again with the same definition changes nothing.
     *
     * @throws IllegalStateException if a queue of that name exists here with another definition
     */
    public QueueInfo createQueue(QueueConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("createQueue needs a queue definition");
        }
        requireStarted();
        return onLoop(() -> core.createQueue(config));
    }

    /**
     * Deletes a queue of this cluster with its messages; its advertisement is withdrawn at once, subscriptions bound
     * to it (here and elsewhere) let go of it.
     *
     * @return whether there was such a queue
     */
    public boolean deleteQueue(String name) {
        requireStarted();
        return onLoop(() -> core.deleteQueue(name));
    }

    /**
     * The queues matching {@code pattern} (see {@link QueuePattern}) that this node knows of: its own and those other
     * clusters advertise, sorted by name then cluster.
     */
    public List<QueueInfo> discoverQueues(String pattern) {
        QueuePattern p = QueuePattern.of(pattern);
        requireStarted();
        return onLoop(() -> core.discover(p));
    }

    /** Figures for each queue of this cluster. */
    public SortedMap<String, QueueStatistics> queueStatistics() {
        requireStarted();
        return onLoop(core::queueStatistics);
    }

    /** The node's queue figures: the sum over its queues (named {@code *}). */
    public QueueStatistics queueTotals() {
        return io.mpreg.federation.internal.queue.QueueTotals.of(queueStatistics().values());
    }

    /**
     * Subscribes {@code handler} to every queue matching {@code pattern} in the federation, with automatic
     * acknowledgement. See {@link #subscribe(String, SubscribeOptions, Consumer)}.
     */
    public Subscription subscribe(String pattern, Consumer<Delivery> handler) {
        return subscribe(pattern, SubscribeOptions.automaticAcks(), handler);
    }

    /**
     * Subscribes {@code handler} to every queue matching {@code pattern} (see {@link QueuePattern}): this cluster's
     * and every other cluster's that advertises one, now and as queues appear; a queue that disappears is let go.
     * Competing messages go to one subscriber of the queue each (round robin over those with room under their
     * prefetch); BROADCAST and QUORUM messages go to every subscriber. Messages from another cluster's queue travel
     * here and their acknowledgements back; a redelivery of a message the handler already acknowledged is
     * acknowledged again without reaching the handler. The handler runs on the subscriber executor, one delivery at
     * a time, in the order the queue handed them out. Returns once the subscription is in place here.
     */
    public Subscription subscribe(String pattern, SubscribeOptions options, Consumer<Delivery> handler) {
        if (pattern == null || options == null || handler == null) {
            throw new IllegalArgumentException("subscribe needs a pattern, options and a handler, got " + pattern
                    + ", " + options + ", " + handler);
        }
        QueuePattern p = QueuePattern.of(pattern);
        requireStarted();
        Runnable cancel = onLoop(() -> core.subscribe(p, options, handler));
        return () -> loop.execute(cancel);
    }

    /** The clusters this node can reach now, itself included. */
    public SortedSet<ClusterId> reachableClusters() {
        requireStarted();
        return onLoop(core::reachable);
    }

    /**
     * Routing diagnostics: for each cluster this node reaches, the neighbouring clusters a frame to it can leave
     * through, best first (several for clusters reachable over distinct first hops).
     */
    public java.util.SortedMap<ClusterId, java.util.List<ClusterId>> routes() {
        requireStarted();
        return onLoop(core::routes);
    }

    /**
     * Proposes {@code weights} as the next version of the weight table, approved by this cluster. With vote keys it
     * takes effect, everywhere, once clusters holding a Byzantine quorum of the current table's weight approved it:
     * automatically where this cluster is among the builder's {@code weightProposers}, else by each operator's
     * {@link #approveWeights}. Without vote keys (an insecure node) it takes effect at once and spreads by gossip.
     * Rounds already open keep the table they opened with; a voter whose table differs from a PREPARE's answers
     * WEIGHTS_MISMATCH, so a change is never silently mixed.
     *
     * @return the proposed table's version
     * @throws IllegalStateException if this cluster already approved another table of that version
     */
    public long updateWeights(Map<ClusterId, Long> weights) {
        requireStarted();
        return onLoop(() -> core.updateWeights(weights));
    }

    /**
     * This cluster's operator approves the weight table {@code version} that {@code proposer} proposed (for a proposer
     * not among the builder's {@code weightProposers}). A cluster approves at most one table per version.
     *
     * @return whether that proposal was pending here and is now approved by this cluster
     * @since 0.5.0
     */
    public boolean approveWeights(long version, ClusterId proposer) {
        requireStarted();
        return onLoop(() -> core.approveWeights(version, proposer));
    }

    /**
     * The weight tables proposed and not in effect yet, with the approvals this node holds, oldest first.
     *
     * @since 0.5.0
     */
    public List<WeightProposal> weightProposals() {
        requireStarted();
        return onLoop(core::weightProposals);
    }

    /** The version of the weight table this node counts with now. */
    public long weightTableVersion() {
        requireStarted();
        return onLoop(core::weightTableVersion);
    }

    /** For every node this node has heard from, whether it counts with the same weight table (version and hash). */
    public java.util.SortedMap<NodeId, Boolean> weightTableAgreement() {
        requireStarted();
        return onLoop(core::weightAgreement);
    }

    /** The timeout a send whose options leave it to the node gets now (fixed, or derived; see the builder). */
    public Duration defaultTimeout() {
        requireStarted();
        return onLoop(core::defaultTimeout);
    }

    /**
     * The equivocation this node proved as a coordinator, oldest first (the most recent 1024): each entry holds the
     * two conflicting votes with their voter's signatures, so anyone with the voter's public key can check it
     * ({@link io.mpreg.api.SignedEquivocation#verify}, {@code mpreg verify-evidence}). Empty in an insecure
     * federation without vote keys: unsigned votes prove nothing to a third party.
     *
     * @since 0.3.0
     */
    public List<io.mpreg.api.SignedEquivocation> equivocationEvidence() {
        requireStarted();
        return onLoop(core::evidence);
    }

    /** Diagnostics of the voted rounds this node coordinates that are still open, oldest first. */
    public java.util.List<RoundDiagnostics> openRounds() {
        requireStarted();
        return onLoop(() -> core.openRounds().stream().map(r -> new RoundDiagnostics(r.round(), r.answers(),
                r.suspects(), r.weights(), r.yesWeight(), r.required(), r.hasQuorum())).toList());
    }

    /** The node's figures now. */
    public FederationStatistics statistics() {
        if (state.get() != STARTED) {
            return counters.snapshot(null, new TreeMap<>(), null, 0);
        }
        Journal j = storage.journal();
        return onLoop(() -> counters.snapshot(core.consensusStatistics(), core.links(),
                j == null || j.failure() == null ? null : "cluster " + cluster() + " " + j.failure(),
                core.roundsInDoubt())); // one round-trip to the loop for the whole snapshot
    }

    /** The node's latencies as histograms with fixed bounds (for Prometheus; {@link #statistics()} has percentiles). */
    public Latencies latencies() {
        if (state.get() != STARTED) {
            return Latencies.none();
        }
        Journal j = storage.journal();
        return onLoop(() -> new Latencies(counters.ackBuckets(), core.decisionBuckets(), core.queueWaitBuckets(),
                j == null ? io.mpreg.api.LatencyBuckets.empty() : j.syncBuckets()));
    }

    /** Closes the transport and the loop; messages in flight fail with CANCELLED. Idempotent. */
    @Override
    public void close() {
        if (state.getAndSet(CLOSED) == CLOSED) {
            return;
        }
        if (loop.inLoop()) {
            core.close(); // a simulator's loop: waiting for a task queued behind this one would wait forever
        } else {
            CompletableFuture<Void> cancelled = new CompletableFuture<>();
            loop.execute(() -> {
                core.close();
                cancelled.complete(null);
            });
            try {
                cancelled.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("{}: loop did not cancel in-flight messages in time: {}", id(), e.toString());
            }
        }
        transport.close();
        loop.close();
        List.copyOf(unsent.keySet()).forEach(this::cancel); // sends whose task the closed loop dropped
        storage.close(core); // what the loop appended last is synced before the disk is let go
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
        NodeManagement.unregister(id(), mbean);
        LOG.info("{}: closed", id());
    }

    private void requireStarted() {
        if (state.get() != STARTED) {
            throw new IllegalStateException("node " + id() + " is " + (state.get() == NEW ? "not started" : "closed"));
        }
    }

    private <T> T onLoop(java.util.function.Supplier<T> work) {
        if (loop.inLoop()) {
            return work.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for node " + id(), e);
        } catch (Exception e) {
            throw new IllegalStateException("node " + id() + " did not answer: " + e, e);
        }
    }

    /** A handle that ends a subscription. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
