package io.mpreg.it.sim;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.NodeId;
import io.mpreg.api.spi.fault.FaultDetectorProvider;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.FederationNodeBuilder;
import io.mpreg.federation.FederationStatistics;
import io.mpreg.federation.ProviderRegistry;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.storage.StorageException;
import io.mpreg.federation.queue.SubscribeOptions;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

import static io.mpreg.it.sim.Simulation.millis;

/**
 * One seeded run of a whole federation in a {@link Simulation}: real {@link FederationNode}s (real codec, real
 * votes, real queues) on {@link SimEventLoop}s over a {@link SimNetwork}. Everything is drawn from the seed: the
 * number of clusters, whether one of them is a Byzantine twin or a malicious member ({@link Liar}), whether
 * coordinators crash mid-round, the link faults, the {@link Nemesis}'s schedule and the
 * workload. The run then heals the network, drains, and hands its {@link History} to the checkers.
 *
 * <p>Two modes, also drawn from the seed. Safety mode: faults for the whole workload, then heal and drain; only
 * safety is checked. Liveness mode: faults stop, the network heals, crashed nodes return, and a second workload
 * must complete successfully within a bound of simulated time.
 *
 * @since 0.3.0
 */
public final class SimRun {
    /** The cluster id of the twin, when the run has one. */
    public static final ClusterId TWIN = ClusterId.of("x");
    /** The cluster id of the malicious member ({@link Liar}), when the run has one. */
    public static final ClusterId LIAR = ClusterId.of("m");
    /** How a run's description names its malicious member. */
    static final String MALICIOUS = "malicious member m";
    static final String QUEUE = "q";
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    static final long FAULT_END = millis(10_000);
    static final long SETTLE = millis(3_000);
    static final long DRAIN = millis(20_000);

    private final Simulation sim;
    private final SimNetwork network;
    private final SimTransportProvider provider;
    private final List<String> loopFailures = new ArrayList<>();
    private final boolean liveness;
    /** Whether crashes in this run may damage a synced record of the crashed node's log. */
    private final boolean damagesDisks;
    /** The subscribers' prefetch, and how long (at most) they take over a message before they acknowledge it. */
    private final int prefetch;
    private final int processingMillis;
    private final boolean twin;
    /** The malicious member, or null: drawn apart from the run's random source, so runs without one are unchanged. */
    private final Liar liar;
    private final int honest;
    /**
     * Draws for crashing a coordinator right after it sends a voted message (before, while or after it decides), or
     * null in runs without: apart from the run's random source, so runs without are unchanged.
     */
    private final SplittableRandom coordinatorCrashes;
    /**
     * How long and for how many rounds each node remembers its votes: in one run in three far less than the run, so
     * retransmitted and replayed PREPAREs meet votes that are gone (and must be refused, never voted on afresh).
     */
    private final Duration voteMemory;
    private final int voteMemoryCapacity;
    private final Map<io.mpreg.api.MessageId, byte[]> payloads = new java.util.HashMap<>();
    /** What a forgery or an alteration changed at an honest node: each a violation. */
    private final List<String> lieEffects = new ArrayList<>();
    private final Map<NodeId, SimNode> nodes = new TreeMap<>();
    private final Map<ClusterId, Long> weights = new TreeMap<>();
    // Ed25519 vote keys per cluster, so the simulated federation signs and checks every vote (a twin's halves share
    // x's key); derived from the cluster's name, so runs (and their trace hashes) are the same in every JVM.
    private static final Map<ClusterId, java.security.KeyPair> KEYS = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<ClusterId, java.security.KeyPair> voteKeys = new TreeMap<>();
    private final Map<ClusterId, java.security.PublicKey> publicKeys = new TreeMap<>();
    private final FaultDetectorProvider equivocation;
    private final History history = new History();
    private final StringBuilder shape = new StringBuilder();

    /** A node slot: its identity and peers stay, its incarnation changes on every restart. */
    final class SimNode {
        final NodeId id;
        final Set<NodeId> peers;
        final SimClock clock;
        final SimDisk disk;
        final boolean hasQueue;
        /** Whether its application takes messages from the queue (the liar's never does). */
        final boolean consumes;
        FederationNode node;
        SimEventLoop loop;
        VoteTap tap;
        int incarnation;
        boolean running;

        SimNode(NodeId id, Set<NodeId> peers, boolean hasQueue) {
            this.id = id;
            this.peers = peers;
            this.hasQueue = hasQueue;
            this.consumes = !id.cluster().equals(LIAR);
            this.clock = new SimClock(sim);
            this.disk = new SimDisk(sim, id.toString());
        }

        String label() {
            return id + "#" + incarnation;
        }

        void start() {
            incarnation++;
            loop = new SimEventLoop(sim, id.toString(), loopFailures);
            tap = new VoteTap();
            FederationNodeBuilder b = FederationNode.builder().federation("sim").node(id).listen(address(id))
                    .weights(1, weights).transport(provider).eventLoop(loop).jmx(false).insecure(true)
                    .voteKeys(voteKeys.get(id.cluster()).getPrivate(), publicKeys).signingExecutor(Runnable::run)
                    .completionExecutor(Runnable::run)
                    .gossipInterval(Duration.ofMillis(200)).retryBackoff(Duration.ofMillis(20), Duration.ofMillis(400))
                    .dedupWindow(Duration.ofMinutes(10), 100_000).defaultTimeout(TIMEOUT)
                    .voteMemory(voteMemory, voteMemoryCapacity)
                    .random(new SplittableRandom(sim.random().nextLong())).wallClock(clock)
                    .subscriberExecutor(task -> sim.after(0, id + "/app", task))
                    .faultDetectors(equivocation, tap).disk(disk::open).logSegmentBytes(16 * 1024);
            peers.forEach(p -> b.peer(p, address(p)));
            try {
                node = b.build().start();
            } catch (StorageException e) {
                if (!disk.corrupted()) {
                    throw e;
                }
                history.refused(label(), id, sim.now(), e.getMessage()); // as it must: its log is damaged
                return;
            }
            running = true;
            String label = label();
            if (hasQueue) {
                node.createQueue(QueueConfig.fifo(QUEUE));
                // the application subscribes a while after the node starts (up to 2 s, less than the settling time
                // after the heal), takes a little while over each message and acknowledges it then, a few at a time:
                // messages wait in the queue, and a crash meets some stored and some handed out and not acknowledged
                FederationNode started = node;
                sim.after(millis(sim.random().nextInt(2_000)), id + "/app", () -> {
                    if (running && node == started && consumes) {
                        node.subscribe(QUEUE, SubscribeOptions.manualAcks().withLocalOnly(true)
                                .withPrefetch(prefetch), d -> {
                                    delivered(this, label, d);
                                    sim.after(millis(sim.random().nextInt(processingMillis + 1)), id + "/app",
                                            d::ack);
                                });
                    }
                });
            }
            history.started(label, id, sim.now(), tap);
        }

        void crash() {
            history.stopped(label(), sim.now(), statistics(), node.equivocationEvidence(), true);
            // unsynced writes are lost (the last one maybe torn); in a run that damages disks, now and then a synced
            // record too, and the node must then refuse to start
            disk.crash(damagesDisks && sim.random().nextInt(3) == 0);
            running = false;
            node.close();
        }

        /** A clean stop: the node syncs what it appended and closes. */
        void stop() {
            disk.closing();
            running = false;
            node.close();
        }

        FederationStatistics statistics() {
            return node.statistics();
        }
    }

    private SimRun(long seed) {
        this.sim = new Simulation(seed);
        this.network = new SimNetwork(sim);
        this.provider = new SimTransportProvider(network);
        this.equivocation = ProviderRegistry.faultDetectors().select("equivocation");
        SplittableRandom r = sim.random();
        this.liveness = r.nextBoolean();
        this.honest = 3 + r.nextInt(2);
        this.twin = r.nextInt(3) == 0;
        this.liar = !twin && new SplittableRandom(seed * 31 + 17).nextInt(3) == 0
                ? new Liar(LIAR, new SplittableRandom(seed ^ 0x5DEECE66DL), () -> sim.now() < FAULT_END,
                        sim::now) : null;
        SplittableRandom crashes = new SplittableRandom(seed * 131 + 7);
        this.coordinatorCrashes = crashes.nextInt(4) == 0 ? crashes : null;
        SplittableRandom memory = new SplittableRandom(seed * 53 + 3);
        boolean forgetful = memory.nextInt(3) == 0;
        this.voteMemory = forgetful ? Duration.ofMillis(1_000 + memory.nextInt(3_000)) : Duration.ofMinutes(10);
        this.voteMemoryCapacity = forgetful ? 100 + memory.nextInt(400) : 100_000;
        this.damagesDisks = r.nextInt(10) == 0;
        this.prefetch = 1 + r.nextInt(8);
        this.processingMillis = r.nextInt(60);
    }

    private static java.security.KeyPair fixedKey(ClusterId cluster) {
        try {
            java.security.SecureRandom source = java.security.SecureRandom.getInstance("SHA1PRNG");
            source.setSeed(("mpreg-sim-vote-key-" + cluster.value()).getBytes(StandardCharsets.UTF_8));
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("Ed25519");
            g.initialize(java.security.spec.NamedParameterSpec.ED25519, source);
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no Ed25519 in this JVM: " + e, e);
        }
    }

    /** Runs the federation of {@code seed} and checks it. */
    public static RunResult run(long seed) {
        return new SimRun(seed).execute();
    }

    private static InetSocketAddress address(NodeId id) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 1 + Math.floorMod(id.hashCode(), 60_000));
    }

    private RunResult execute() {
        List<NodeId> honestIds = new ArrayList<>();
        for (int i = 1; i <= honest; i++) {
            honestIds.add(NodeId.of("c" + i, "gw"));
            weights.put(ClusterId.of("c" + i), 1L);
        }
        Set<NodeId> seenByA = new TreeSet<>();
        if (twin) {
            weights.put(TWIN, 1L);
            // each half is shown to a different, non-empty part of the federation
            List<NodeId> shuffled = Nemesis.shuffle(honestIds, sim.random());
            int cut = 1 + sim.random().nextInt(honest - 1);
            seenByA.addAll(shuffled.subList(0, cut));
        }
        for (ClusterId c : weights.keySet()) {
            voteKeys.put(c, KEYS.computeIfAbsent(c, SimRun::fixedKey));
            publicKeys.put(c, voteKeys.get(c).getPublic());
        }
        NodeId liarNode = NodeId.of(LIAR.value(), "gw");
        if (liar != null) {
            weights.put(LIAR, 1L);
            voteKeys.put(LIAR, KEYS.computeIfAbsent(LIAR, SimRun::fixedKey));
            publicKeys.put(LIAR, voteKeys.get(LIAR).getPublic());
            network.liar(liarNode, liar, this::probe);
        }
        NodeId twinA = NodeId.of("x", "a");
        NodeId twinB = NodeId.of("x", "b");
        for (NodeId id : honestIds) {
            Set<NodeId> peers = new TreeSet<>(honestIds);
            peers.remove(id);
            if (twin) {
                peers.add(seenByA.contains(id) ? twinA : twinB);
            }
            if (liar != null) {
                peers.add(liarNode);
            }
            nodes.put(id, new SimNode(id, peers, true));
        }
        if (liar != null) {
            nodes.put(liarNode, new SimNode(liarNode, new TreeSet<>(honestIds), true)); // votes yes, never delivers
        }
        if (twin) {
            Set<NodeId> rest = new TreeSet<>(honestIds);
            rest.removeAll(seenByA);
            nodes.put(twinA, new SimNode(twinA, seenByA, true)); // has the queue: votes yes
            nodes.put(twinB, new SimNode(twinB, rest, false)); // has not: votes no
        }
        LinkFaults faults = drawLinkFaults();
        network.faults(faults);
        shape.append(liveness ? "liveness" : "safety").append(damagesDisks ? " (disks may be damaged)" : "")
                .append(", subscribers take ").append(prefetch).append(" at a time, up to ").append(processingMillis)
                .append(" ms each")
                .append(", ").append(honest).append(" clusters")
                .append(twin ? " + twin x (x/a seen by " + seenByA + ")" : "")
                .append(liar != null ? " + " + MALICIOUS : "").append(", ").append(faults)
                .append(coordinatorCrashes != null ? ", coordinators crash mid-round" : "")
                .append(voteMemoryCapacity < 100_000 ? ", votes remembered for " + voteMemory.toMillis() + " ms, "
                        + voteMemoryCapacity + " at most" : "");

        inEvent(() -> nodes.values().forEach(SimNode::start));
        Nemesis nemesis = new Nemesis(sim, network, List.copyOf(nodes.values()), shape);
        nemesis.schedule(millis(500), FAULT_END);
        Workload workload = new Workload(sim, this);
        int ops = 20 + sim.random().nextInt(30);
        workload.schedule(ops, millis(500), FAULT_END, false);
        sim.runUntil(FAULT_END);
        nemesis.stop();
        inEvent(() -> {
            network.healAll();
            network.faults(LinkFaults.NONE);
            nodes.values().stream().filter(n -> !n.running).forEach(SimNode::start);
        });
        long end = FAULT_END + SETTLE;
        if (liveness) {
            workload.schedule(10, end, end + millis(1_000), true);
            end += millis(1_000);
        }
        long deadline = end + DRAIN;
        // every send is made before waiting for all to complete: the liveness workload's are only scheduled yet
        sim.runUntil(end);
        sim.runUntil(deadline, history::allComplete);
        sim.runUntil(sim.now() + millis(5_000)); // deliveries after the last outcome
        List<String> violations = new ArrayList<>();
        inEvent(() -> {
            for (SimNode n : nodes.values()) {
                if (n.running) {
                    history.stopped(n.label(), sim.now(), n.statistics(), n.node.equivocationEvidence(), false);
                }
            }
            violations.addAll(new Checker(history, TWIN, LIAR, publicKeys).check(liveness,
                    FAULT_END + SETTLE + millis(1_000) + TIMEOUT.toNanos() * 2));
            violations.addAll(lieEffects);
            violations.addAll(honestState());
            for (SimNode n : nodes.values()) {
                if (n.running) {
                    n.stop();
                }
            }
        });
        loopFailures.forEach(f -> violations.add("a loop task threw: " + f));
        if (liar != null) {
            shape.append("; m did ").append(liar.done());
        }
        return new RunResult(sim.seed(), liveness, shape.toString(), sim.traceHash(), sim.steps(),
                history.operations(), history.succeeded(), history.deliveries.size(), sim.now() / 1_000_000,
                violations);
    }

    /**
     * Right after a frame from the liar reached honest node {@code at} (and the node handled it): no forged state took
     * there. A forged link state or advertisement would show at once as a cluster or queue that does not exist, a
     * forged weight table as another table version.
     */
    private void probe(NodeId at) {
        SimNode n = nodes.get(at);
        if (n == null || n.id.cluster().equals(TWIN) || n.id.cluster().equals(LIAR)) {
            return;
        }
        FederationNode node = n.node;
        sim.after(millis(1), "probe", () -> {
            if (!n.running || n.node != node) {
                return;
            }
            if (node.weightTableVersion() != 1) {
                lieEffects.add("weights: " + n.label() + " took table version " + node.weightTableVersion());
            }
            if (node.reachableClusters().contains(Liar.GHOST)) {
                lieEffects.add("routes: " + n.label() + " reaches " + node.reachableClusters());
            }
            node.discoverQueues("*").stream().filter(q -> q.name().equals(Liar.GHOST_QUEUE)).findAny()
                    .ifPresent(q -> lieEffects.add("discovery: " + n.label() + " lists " + q));
        });
    }

    /**
     * What no forged frame may change at an honest node, after the heal and drain: its weight table (no run changes
     * it), the clusters it reaches (only real ones), and discovery (exactly the queues that exist, on the running
     * nodes that hold them).
     */
    private List<String> honestState() {
        List<String> out = new ArrayList<>();
        Set<ClusterId> holders = new TreeSet<>();
        nodes.values().stream().filter(n -> n.running && n.hasQueue).forEach(n -> holders.add(n.id.cluster()));
        for (SimNode n : runningHonest()) {
            if (n.node.weightTableVersion() != 1) {
                out.add("weights: " + n.label() + " counts with table version " + n.node.weightTableVersion());
            }
            if (!allClusters().containsAll(n.node.reachableClusters())) {
                out.add("routes: " + n.label() + " reaches " + n.node.reachableClusters());
            }
            Set<ClusterId> listed = new TreeSet<>();
            n.node.discoverQueues("*").forEach(q -> {
                if (!q.name().equals(QUEUE) || !holders.contains(q.cluster())) {
                    out.add("discovery: " + n.label() + " lists " + q);
                }
                listed.add(q.cluster());
            });
            Set<ClusterId> missing = new TreeSet<>(holders);
            missing.remove(TWIN); // which half of the twin is heard decides whether x lists the queue
            missing.removeAll(listed);
            if (!missing.isEmpty()) {
                out.add("discovery: " + n.label() + " does not list the queue on " + missing);
            }
        }
        return out;
    }

    private LinkFaults drawLinkFaults() {
        SplittableRandom r = sim.random();
        double[] levels = {0, 0, 0.01, 0.05};
        return new LinkFaults(levels[r.nextInt(4)], levels[r.nextInt(4)], levels[r.nextInt(4)] * 4,
                100_000, millis(1 + r.nextInt(5)), millis(r.nextInt(50)));
    }

    /** Runs {@code action} inside an event at the current virtual time (node calls must run inside events). */
    private void inEvent(Runnable action) {
        sim.after(0, "harness", action);
        sim.runUntil(sim.now());
    }

    private void delivered(SimNode at, String label, Delivery d) {
        history.delivered(label, at.id, d.message().id(), d.guarantee(), sim.now());
        byte[] sent = payloads.get(d.message().id());
        if (sent != null && !java.util.Arrays.equals(sent, d.message().payload())) {
            lieEffects.add("altered: " + label + " delivered " + d.message().id() + " with another payload");
        }
    }

    /** The honest nodes running now. */
    List<SimNode> runningHonest() {
        return nodes.values().stream().filter(n -> n.running && !n.id.cluster().equals(TWIN)
                && !n.id.cluster().equals(LIAR)).toList();
    }

    Set<ClusterId> honestClusters() {
        Set<ClusterId> out = new TreeSet<>();
        nodes.keySet().stream().map(NodeId::cluster).filter(c -> !c.equals(TWIN) && !c.equals(LIAR))
                .forEach(out::add);
        return out;
    }

    Set<ClusterId> allClusters() {
        return new TreeSet<>(weights.keySet());
    }

    boolean hasTwin() {
        return twin;
    }

    /** Sends one message of the workload from {@code from}. */
    void send(SimNode from, int k, DeliveryGuarantee guarantee, DeliveryOptions options, boolean afterHeal) {
        Message m = Message.builder(QUEUE).payload(("m" + k).getBytes(StandardCharsets.UTF_8)).build(sim.random());
        payloads.put(m.id(), m.payload());
        History.Op op = history.sent(k, m.id(), from.label(), from.id, guarantee, options.targets(), sim.now(),
                afterHeal, sim.now() + options.timeout().toNanos());
        try {
            from.node.send(m, options).whenComplete((DeliveryResult r, Throwable t) -> history.completed(op, r, t,
                    sim.now()));
        } catch (RuntimeException e) {
            history.completed(op, null, e, sim.now());
        }
        if (coordinatorCrashes != null && !afterHeal && sim.now() < FAULT_END
                && (guarantee == DeliveryGuarantee.GLOBAL_QUORUM || guarantee == DeliveryGuarantee.BYZANTINE_QUORUM)
                && coordinatorCrashes.nextInt(3) == 0) {
            crashMidRound(from, k);
        }
    }

    /**
     * Crashes {@code coordinator} a few milliseconds after it sent message {@code k} (before its PREPAREs arrive,
     * while votes come in, as it writes its decision, or just after: the delay decides) and restarts it a while
     * later; whatever it decided, every target must reach the same outcome, and the clusters of a certificate deliver.
     */
    private void crashMidRound(SimNode coordinator, int k) {
        FederationNode incarnation = coordinator.node;
        long delay = millis(coordinatorCrashes.nextInt(25));
        long down = millis(200 + coordinatorCrashes.nextInt(1_300));
        sim.after(delay, "nemesis", () -> {
            if (!coordinator.running || coordinator.node != incarnation) {
                return;
            }
            shape.append("; ").append(sim.now() / 1_000_000).append(" ms crash coordinator ").append(coordinator.id)
                    .append(" of m").append(k).append(" for ").append(down / 1_000_000).append(" ms");
            coordinator.crash();
            sim.after(down, "nemesis", () -> {
                if (!coordinator.running) {
                    coordinator.start();
                }
            });
        });
    }
}

