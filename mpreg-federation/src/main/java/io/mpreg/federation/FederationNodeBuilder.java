package io.mpreg.federation;

import io.mpreg.api.ClusterId;
import io.mpreg.api.NodeId;
import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportProvider;
import io.mpreg.api.spi.fault.FaultDetector;
import io.mpreg.api.spi.fault.FaultDetectorProvider;
import io.mpreg.api.spi.weighting.WeightingStrategy;
import io.mpreg.api.spi.weighting.WeightingStrategyProvider;
import io.mpreg.consensus.WeightTable;
import io.mpreg.federation.internal.NodeSettings;
import io.mpreg.federation.internal.ThreadEventLoop;
import io.mpreg.federation.internal.round.VoteSigning;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * Builds a {@link FederationNode}. Required: {@link #federation}, {@link #node} and {@link #listen}. The transport
 * is chosen by name ({@link #transport(String)}), given as a provider ({@link #transport(TransportProvider)}), or
 * else taken from the system property {@code mpreg.transport}, or else the highest-priority transport plugin found;
 * a named transport that is not there fails with the names that are. The weighting strategy and the fault detectors
 * are found the same way (by name, as providers, or the defaults). Defaults: 1 s gossip, retries from 50 ms to
 * 2 s, a 10-minute dedup window of up to 1 000 000 ids, a hold-back buffer of 10 000 CAUSAL messages, a seeded
 * random source from the system's, the system clocks, and a single-thread subscriber executor per node.
 *
 * @since 0.1.0
 */
public final class FederationNodeBuilder {
    private String federation;
    private NodeId node;
    private InetSocketAddress listen;
    private final Map<NodeId, InetSocketAddress> peers = new TreeMap<>();
    private final List<io.mpreg.federation.queue.QueueConfig> queues = new java.util.ArrayList<>();
    private String transportName;
    private TransportProvider transportProvider;
    private UnaryOperator<TransportConfig> transportTweak = UnaryOperator.identity();
    private PluginOptions transportOptions = PluginOptions.NONE;
    private WeightTable table = WeightTable.of(0, Map.of());
    private String weightingName;
    private WeightingStrategyProvider weightingProvider;
    private PluginOptions weightingOptions = PluginOptions.NONE;
    private List<String> detectorNames;
    private List<FaultDetectorProvider> detectorProviders;
    private RandomGenerator random;
    private LongSupplier nanoClock = System::nanoTime;
    private Clock wallClock = Clock.systemUTC();
    private Executor subscribers;
    private Duration gossipInterval = Duration.ofSeconds(1);
    private Duration retryMin = Duration.ofMillis(50);
    private Duration retryMax = Duration.ofSeconds(2);
    private Duration dedupWindow = Duration.ofMinutes(10);
    private long dedupCapacity = 1_000_000;
    private Duration voteMemory = Duration.ofMinutes(10);
    private int voteMemoryCapacity = 100_000;
    private boolean batching = true;
    private int inboundLimit = 65_536;
    private int holdBackCapacity = 10_000;
    private int maxConcurrentRounds = 1024;
    private int maxWaitingRounds = 4096;
    private Duration defaultTimeout;
    private EventLoop eventLoop;
    private java.nio.file.Path dataDirectory;
    private java.util.function.Supplier<io.mpreg.federation.storage.Disk> disk;
    private long logSegmentBytes = DEFAULT_LOG_SEGMENT_BYTES;
    private boolean jmx = true;
    private boolean insecure;
    /**
     * The default signing pool, shared by the nodes of a JVM: one thread per core. The common pool has one thread fewer
     * than there are cores (one in all on two), and a node signs and verifies several times a round.
     */
    private static final Executor SIGNERS = new java.util.concurrent.ForkJoinPool(
            Runtime.getRuntime().availableProcessors());
    private Executor signer = SIGNERS;
    private final java.util.Set<ClusterId> weightProposers = new java.util.TreeSet<>();
    private Executor completions = java.util.concurrent.ForkJoinPool.commonPool();
    private java.security.PrivateKey voteKey;
    private Map<ClusterId, java.security.PublicKey> votePublicKeys;

    FederationNodeBuilder() {
    }

    public FederationNodeBuilder federation(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("federation name '" + name + "' must be 1-64 characters from "
                    + "[A-Za-z0-9._-], starting with a letter or digit");
        }
        this.federation = name;
        return this;
    }

    public FederationNodeBuilder node(NodeId id) {
        this.node = id;
        return this;
    }

    /** Where this node's transport listens (port 0: any free port, see {@link FederationNode#boundAddress()}). */
    public FederationNodeBuilder listen(InetSocketAddress address) {
        this.listen = address;
        return this;
    }

    /** A gateway of another cluster to link with directly (links need not form a full mesh). */
    public FederationNodeBuilder peer(NodeId peer, InetSocketAddress address) {
        if (peer == null || address == null) {
            throw new IllegalArgumentException("peer needs an id and an address, got " + peer + ", " + address);
        }
        peers.put(peer, address);
        return this;
    }

    public FederationNodeBuilder transport(String name) {
        this.transportName = name;
        return this;
    }

    public FederationNodeBuilder transport(TransportProvider provider) {
        this.transportProvider = provider;
        return this;
    }

    /** Plugin options for the transport (TLS material, the JGroups stack, ...). */
    public FederationNodeBuilder transportOptions(PluginOptions options) {
        this.transportOptions = options;
        return this;
    }

    /** Adjusts the transport config (failure detection, queue sizes, frame cap) before it is created. */
    public FederationNodeBuilder transportConfig(UnaryOperator<TransportConfig> tweak) {
        this.transportTweak = tweak;
        return this;
    }

    /**
     * The weight table every coordinator of the federation must share: integer weights per cluster and a version
     * (announced in hellos; a voter whose table differs answers WEIGHTS_MISMATCH). Default: empty, version 0.
     */
    public FederationNodeBuilder weights(long version, Map<ClusterId, Long> weights) {
        this.table = WeightTable.of(version, weights);
        return this;
    }

    /** The weighting strategy plugin by name (default: the highest-priority one found, {@code reliability}). */
    public FederationNodeBuilder weighting(String name, PluginOptions options) {
        this.weightingName = name;
        this.weightingOptions = options;
        return this;
    }

    public FederationNodeBuilder weighting(WeightingStrategyProvider provider, PluginOptions options) {
        this.weightingProvider = provider;
        this.weightingOptions = options;
        return this;
    }

    /** The fault detector plugins by name (default: every available one, {@code equivocation} among them). */
    public FederationNodeBuilder faultDetectors(String... names) {
        this.detectorNames = List.of(names);
        return this;
    }

    public FederationNodeBuilder faultDetectors(FaultDetectorProvider... providers) {
        this.detectorProviders = List.of(providers);
        return this;
    }

    /** The node's only source of randomness (message ids, retry jitter): seed it for repeatable runs. */
    public FederationNodeBuilder random(RandomGenerator source) {
        this.random = source;
        return this;
    }

    /** The monotonic clock of the node's event loop, in nanoseconds. */
    public FederationNodeBuilder nanoClock(LongSupplier clock) {
        this.nanoClock = clock;
        return this;
    }

    public FederationNodeBuilder wallClock(Clock clock) {
        this.wallClock = clock;
        return this;
    }

    /** The default size of a log segment: 16 MiB. */
    public static final long DEFAULT_LOG_SEGMENT_BYTES = 16L << 20;

    /**
     * Keeps the node's state in {@code directory} (created if needed): a write-ahead log of its queues, their messages
     * and dedup windows, recovered when the node starts again. Nothing is acknowledged before the records that make
     * it true are synced. Without a data directory (or a {@link #disk}) the node runs in memory. {@link
     * FederationNode#start()} refuses a directory that another node holds.
     *
     * @since 0.4.0
     */
    public FederationNodeBuilder dataDirectory(java.nio.file.Path directory) {
        if (directory == null) {
            throw new IllegalArgumentException("dataDirectory must not be null");
        }
        this.dataDirectory = directory;
        this.disk = null;
        return this;
    }

    /**
     * Keeps the node's write-ahead log on {@code disk} instead of a directory (a simulator's disk, say); the node
     * takes it when it starts and closes it when it closes.
     *
     * @since 0.4.0
     */
    public FederationNodeBuilder disk(java.util.function.Supplier<io.mpreg.federation.storage.Disk> opener) {
        if (opener == null) {
            throw new IllegalArgumentException("disk must not be null");
        }
        this.disk = opener;
        this.dataDirectory = null;
        return this;
    }

    /**
     * The size of the log's segments, preallocated (default {@link #DEFAULT_LOG_SEGMENT_BYTES}); a snapshot of the
     * live state is taken once the records since the last one reach half a segment and four times the last
     * snapshot's size, and the segments before it are deleted.
     *
     * @since 0.4.0
     */
    public FederationNodeBuilder logSegmentBytes(long bytes) {
        if (bytes < 4096) {
            throw new IllegalArgumentException("logSegmentBytes must be at least 4096, got " + bytes);
        }
        this.logSegmentBytes = bytes;
        return this;
    }

    /**
     * The event loop that owns the node's protocol state, instead of the node's own thread-backed loop. Its
     * {@link EventLoop#nanoTime()} is then the node's monotonic clock ({@link #nanoClock} is not used). The node
     * closes it when it closes. Meant for simulators that run many nodes on one thread and a virtual clock.
     *
     * @since 0.3.0
     */
    public FederationNodeBuilder eventLoop(EventLoop loop) {
        if (loop == null) {
            throw new IllegalArgumentException("eventLoop must not be null");
        }
        this.eventLoop = loop;
        return this;
    }

    /**
     * Whether the node registers its MXBean with the platform MBean server on start (default true). Turn it off
     * where many nodes with one id come and go in one JVM, such as a simulator's runs.
     *
     * @since 0.3.0
     */
    public FederationNodeBuilder jmx(boolean register) {
        this.jmx = register;
        return this;
    }

    /**
     * This cluster's Ed25519 vote key and every cluster's public key ({@link io.mpreg.api.VoteKeys}). The node signs
     * its votes and counts a received vote only if its voter signed it; equivocation evidence is then transferable
     * ({@link FederationNode#equivocationEvidence()}). Required unless {@link #insecure(boolean) insecure}.
     *
     * @since 0.3.0
     */
    public FederationNodeBuilder voteKeys(java.security.PrivateKey own, Map<ClusterId, java.security.PublicKey> all) {
        if (own == null || all == null) {
            throw new IllegalArgumentException("voteKeys needs a private key and the public keys, got " + own + ", "
                    + all);
        }
        this.voteKey = own;
        this.votePublicKeys = new TreeMap<>(all);
        return this;
    }

    /**
     * Allows what a federation otherwise refuses (default false): links without TLS (the transport option
     * {@code tls=true}) and votes without signatures (no {@link #voteKeys}). For loopback demos, tests and
     * simulations; say it explicitly.
     *
     * @since 0.3.0
     */
    public FederationNodeBuilder insecure(boolean allow) {
        this.insecure = allow;
        return this;
    }

    /**
     * The clusters whose proposed weight tables this node approves on its own (default: none). With vote keys a new
     * weight table takes effect only once clusters holding a Byzantine quorum of the current table's weight have
     * signed it ({@link FederationNode#updateWeights} proposes; a proposal from another cluster is approved here
     * automatically only if that cluster is listed, otherwise by {@link FederationNode#approveWeights}). This node
     * approves at most one table per version.
     *
     * @since 0.5.0
     */
    public FederationNodeBuilder weightProposers(java.util.Collection<ClusterId> clusters) {
        if (clusters == null || clusters.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("weightProposers must be clusters, got " + clusters);
        }
        weightProposers.addAll(clusters);
        return this;
    }

    /**
     * Where the node signs its votes and aborts and checks the certificates of the COMMITs it receives (default: a
     * fork-join pool of one thread per core shared by the JVM's nodes), off its event loop: an Ed25519 signature or
     * verification of the JDK takes about half a millisecond. A simulator passes {@code Runnable::run} to stay on its thread.
     *
     * @since 0.3.0
     */
    public FederationNodeBuilder signingExecutor(Executor executor) {
        if (executor == null) {
            throw new IllegalArgumentException("signingExecutor must not be null");
        }
        this.signer = executor;
        return this;
    }

    /**
     * Where the futures this node returns complete ({@link FederationNode#send}'s, and a delivery's
     * {@link Delivery#ack()}/{@link Delivery#release()}), so an application's dependent stages run there and never on
     * the node's event loop; default the common fork-join pool. A simulator passes {@code Runnable::run} to stay on its
     * thread.
     *
     * @since 0.3.0
     */
    public FederationNodeBuilder completionExecutor(Executor executor) {
        if (executor == null) {
            throw new IllegalArgumentException("completionExecutor must not be null");
        }
        this.completions = executor;
        return this;
    }

    /** Where subscriber callbacks run (the node then does not own or shut it down). */
    public FederationNodeBuilder subscriberExecutor(Executor executor) {
        this.subscribers = executor;
        return this;
    }

    public FederationNodeBuilder gossipInterval(Duration interval) {
        this.gossipInterval = positive("gossipInterval", interval);
        return this;
    }

    public FederationNodeBuilder retryBackoff(Duration min, Duration max) {
        this.retryMin = positive("retry min", min);
        this.retryMax = positive("retry max", max);
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("retry max " + max + " < min " + min);
        }
        return this;
    }

    public FederationNodeBuilder dedupWindow(Duration window, long capacity) {
        this.dedupWindow = positive("dedup window", window);
        if (capacity < 1) {
            throw new IllegalArgumentException("dedup capacity must be >= 1, got " + capacity);
        }
        this.dedupCapacity = capacity;
        return this;
    }

    /**
     * How long, and for how many rounds at most, this cluster remembers each vote it cast in a voted round (default
     * 10 minutes and 100,000): a PREPARE sent again meanwhile gets the very same vote. A PREPARE for a round whose
     * vote it has forgotten is refused, never voted on afresh, so a short memory can cost a late round this cluster's
     * vote, never make it sign a second, different one (which would prove it an equivocator).
     */
    public FederationNodeBuilder voteMemory(Duration window, int capacity) {
        this.voteMemory = positive("vote memory", window);
        if (capacity < 1) {
            throw new IllegalArgumentException("vote memory capacity must be >= 1, got " + capacity);
        }
        this.voteMemoryCapacity = capacity;
        return this;
    }

    /**
     * Whether frames to one peer carry several messages (default true): what the node's loop produced for a peer
     * while it ran the tasks queued before is sent in one frame (one link header, one replay check, one read and one
     * loop task at the receiver), with no timer, so a lone message waits for nothing; likewise the votes, and the
     * answers relayed to clusters not linked here, that wait for the signer share one signature. Off, every message
     * is a frame of its own and every vote and answer is signed alone (kept for side-by-side measurement).
     *
     * @since 0.6.0
     */
    public FederationNodeBuilder batching(boolean on) {
        this.batching = on;
        return this;
    }

    /**
     * How many messages from the network the node's event loop holds at most, waiting to be handled (default 65,536).
     * When it holds that many, the transport's threads wait before handing over more: they read no more from their
     * peers, whose transport queues fill and park their traffic, so a node that falls behind slows its senders down
     * instead of buffering without bound.
     *
     * @since 0.6.0
     */
    public FederationNodeBuilder inboundLimit(int messages) {
        if (messages < 1) {
            throw new IllegalArgumentException("inbound limit must be >= 1, got " + messages);
        }
        this.inboundLimit = messages;
        return this;
    }

    public FederationNodeBuilder holdBackCapacity(int messages) {
        if (messages < 1) {
            throw new IllegalArgumentException("hold-back capacity must be >= 1, got " + messages);
        }
        this.holdBackCapacity = messages;
        return this;
    }

    /**
     * The timeout of sends whose options leave it to the node ({@code DeliveryOptions.NODE_DEFAULT_TIMEOUT}, what
     * {@code DeliveryOptions.of} gives). Unset, the node derives it from what it observes: ten times the p99 of its
     * completed sends, within 5 s to 120 s, and 30 s until 100 sends have completed.
     */
    public FederationNodeBuilder defaultTimeout(Duration timeout) {
        this.defaultTimeout = positive("default timeout", timeout);
        return this;
    }

    /**
     * A queue to create on this cluster when the node starts, before its transport starts, so no message can arrive
     * for it before it exists (the queues of a node's configuration). Repeatable.
     *
     * @since 0.3.0
     */
    public FederationNodeBuilder queue(io.mpreg.federation.queue.QueueConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("queue needs a queue definition");
        }
        queues.add(config);
        return this;
    }

    /**
     * Admission control (default 1024 and 4096): at most {@code concurrent} voted rounds open at this coordinator and
     * at most {@code concurrent} other sends in flight (not yet acknowledged, refused or timed out), each with up to
     * {@code waiting} more queued behind them in order; a send beyond that is refused at once (REJECTED, counted in
     * {@link FederationStatistics#roundsRefused()}). Full means wait, up to a bound. A voted round decides up to 64
     * sends that came together with the same options and queue ({@link #batching}), so the voted bounds count rounds,
     * not sends.
     */
    public FederationNodeBuilder admission(int concurrent, int waiting) {
        if (concurrent < 1 || waiting < 0) {
            throw new IllegalArgumentException("admission needs concurrent >= 1 and waiting >= 0, got " + concurrent
                    + ", " + waiting);
        }
        this.maxConcurrentRounds = concurrent;
        this.maxWaitingRounds = waiting;
        return this;
    }

    /**
     * Builds the node (not started).
     *
     * @throws IllegalArgumentException if a required setting is missing or invalid
     * @throws io.mpreg.api.MpregException if a named plugin (transport, weighting, fault detector) is not installed;
     *                                     the message names what was searched and what was found
     */
    public FederationNode build() {
        if (federation == null || node == null || listen == null) {
            throw new IllegalArgumentException("a federation node needs federation, node and listen; got "
                    + federation + ", " + node + ", " + listen);
        }
        if (peers.keySet().stream().map(NodeId::cluster).anyMatch(node.cluster()::equals)) {
            throw new IllegalArgumentException("peers of " + node + " must be gateways of other clusters: " + peers);
        }
        if (!insecure && !transportOptions.booleanValue("tls", false)) {
            throw new IllegalArgumentException("node " + node + " refuses federation links without TLS: set the "
                    + "transport option tls=true with its tls.* material, or say insecure(true) explicitly");
        }
        if (!insecure && voteKey == null) {
            throw new IllegalArgumentException("node " + node + " needs vote keys (voteKeys: its Ed25519 private key "
                    + "and every cluster's public key) to sign and check votes, or insecure(true) explicitly");
        }
        VoteSigning signing = voteKey == null ? VoteSigning.NONE
                : VoteSigning.of(federation, node.cluster(), voteKey, votePublicKeys);
        WeightingStrategy weighting = PluginChoice.weighting(weightingProvider, weightingName).create(weightingOptions);
        List<FaultDetector> detectors = PluginChoice.detectors(detectorProviders, detectorNames);
        TransportProvider provider = PluginChoice.transport(node, transportProvider, transportName);
        TransportConfig config = transportTweak.apply(TransportConfig.defaults(node, listen).withPeers(peers)
                .withOptions(withCluster(transportOptions)));
        Transport transport = provider.create(config);
        ExecutorService owned = null;
        Executor executor = subscribers;
        if (executor == null) {
            owned = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "mpreg-" + node + "-subscribers");
                t.setDaemon(true);
                return t;
            });
            executor = owned;
        }
        RandomGenerator source = random != null ? random : new SplittableRandom();
        NodeSettings settings = new NodeSettings(federation, node, table, weighting, List.copyOf(detectors), source,
                wallClock, executor,
                gossipInterval, retryMin, retryMax, dedupWindow, dedupCapacity, holdBackCapacity, maxConcurrentRounds,
                maxWaitingRounds, defaultTimeout, java.util.Set.copyOf(peers.keySet()), signing, signer, completions,
                java.util.Set.copyOf(weightProposers), voteMemory, voteMemoryCapacity, batching,
                inboundLimit);
        EventLoop loop = eventLoop != null ? eventLoop
                : new ThreadEventLoop("mpreg-" + node + "-loop", nanoClock::getAsLong);
        java.util.function.Supplier<io.mpreg.federation.storage.Disk> opener = disk;
        if (dataDirectory != null) {
            java.nio.file.Path dir = dataDirectory;
            opener = () -> io.mpreg.federation.storage.FileDisk.open(dir);
        }
        return new FederationNode(settings, transport, provider.name(), loop, owned, config.maxFrameBytes(), jmx,
                List.copyOf(queues), opener, logSegmentBytes);
    }

    /** The JGroups plugin names its cluster after the federation unless told otherwise. */
    private PluginOptions withCluster(PluginOptions options) {
        if (options.values().containsKey("jgroups.cluster")) {
            return options;
        }
        Map<String, String> values = new TreeMap<>(options.values());
        values.put("jgroups.cluster", federation);
        return new PluginOptions(values);
    }

    static Duration positive(String name, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }
}
