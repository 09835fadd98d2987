package io.mpreg.launcher;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.NodeId;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.FederationNodeBuilder;
import io.mpreg.federation.FederationStatistics;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** {@code mpreg demo}: a local federation in one JVM, a stream of messages, progress and a summary. */
final class Demo {
    private static final int WINDOW = 64;
    private final DemoOptions options;
    private final PrintStream out;
    private final Map<ClusterId, java.security.PublicKey> publicKeys = new java.util.TreeMap<>();

    Demo(DemoOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the demo; returns the exit code: 0 when every message reached its expected outcome. */
    int run() throws Exception {
        Map<NodeId, InetSocketAddress> gateways = new TreeMap<>();
        Map<ClusterId, Long> weights = new TreeMap<>();
        for (int i = 1; i <= options.clusters(); i++) {
            gateways.put(NodeId.of("c" + i, "gw"), freeLoopback());
            weights.put(ClusterId.of("c" + i), 1L);
        }
        for (int i = 1; i <= options.byzantine(); i++) {
            gateways.put(NodeId.of("twin" + i, "a"), freeLoopback()); // reaches c1, has the queue
            gateways.put(NodeId.of("twin" + i, "b"), freeLoopback()); // reaches the others, has not
            weights.put(ClusterId.of("twin" + i), 1L);
        }
        for (int i = 1; i <= options.malicious(); i++) {
            gateways.put(NodeId.of("liar" + i, "gw"), freeLoopback()); // linked with every honest cluster
            weights.put(ClusterId.of("liar" + i), 1L);
        }
        LyingTransports lying = new LyingTransports(io.mpreg.federation.ProviderRegistry.transports()
                .select(options.transport()));
        // every cluster signs its votes with a throw-away Ed25519 key (the twins' halves share theirs, as copies do)
        Map<ClusterId, java.security.KeyPair> voteKeys = new java.util.TreeMap<>();
        weights.keySet().forEach(c -> voteKeys.put(c, io.mpreg.api.VoteKeys.generate()));
        voteKeys.forEach((c, pair) -> publicKeys.put(c, pair.getPublic()));
        List<FederationNode> nodes = new ArrayList<>();
        SortedSet<ClusterId> honest = new TreeSet<>();
        weights.keySet().stream().filter(Demo::isHonest).forEach(honest::add);
        Receivers receivers = new Receivers(honest);
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("mpreg-demo-"); // durable, as a real node
        try {
            for (Map.Entry<NodeId, InetSocketAddress> e : gateways.entrySet()) {
                NodeId self = e.getKey();
                FederationNodeBuilder b = FederationNode.builder().federation("demo").node(self)
                        .listen(e.getValue()).weights(1, weights)
                        .random(new SplittableRandom(self.hashCode()))
                        .voteKeys(voteKeys.get(self.cluster()).getPrivate(), publicKeys)
                        .insecure(true) // one JVM on loopback: plaintext links
                        .dataDirectory(data.resolve(self.cluster().value() + "-" + self.name()));
                if (isLiar(self.cluster())) {
                    b.transport(lying);
                } else {
                    b.transport(options.transport());
                }
                gateways.forEach((peer, address) -> {
                    if (!peer.cluster().equals(self.cluster()) && linked(self, peer)) {
                        b.peer(peer, address);
                    }
                });
                FederationNode node = b.build().start();
                if (!self.name().equals("b")) {
                    node.createQueue(io.mpreg.federation.queue.QueueConfig.fifo("demo"));
                }
                if (!self.name().equals("b") && !isLiar(self.cluster())) { // a liar votes yes and never delivers
                    node.subscribe("demo", io.mpreg.federation.queue.SubscribeOptions.automaticAcks().withLocalOnly(true),
                            d -> receivers.record(self.cluster(), d));
                }
                nodes.add(node);
            }
            out.printf("federation 'demo': %d clusters (%d of them twins, %d malicious) over %s, each with its log in "
                    + "%s, linking...%n", weights.size(), options.byzantine(), options.malicious(), options.transport(),
                    data);
            long linkDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            FederationNode c1 = nodes.stream().filter(n -> n.cluster().value().equals("c1")).findFirst().orElseThrow();
            while (nodes.stream().anyMatch(n -> n.reachableClusters().size() < weights.size())
                    || weights.keySet().stream().filter(c -> c.value().startsWith("twin"))
                    .anyMatch(t -> c1.routes().getOrDefault(t, List.of()).size() < 2)) { // both halves of a twin
                if (System.nanoTime() > linkDeadline) {
                    out.println("the clusters did not link within 30 s");
                    return 1;
                }
                Thread.sleep(20); // a launcher polling for readiness, not a test
            }
            if (options.malicious() > 0) {
                lying.lie();
                for (FederationNode n : nodes) {
                    if (isLiar(n.cluster())) { // B5: "everyone approves" a table giving this liar the weight
                        Map<ClusterId, Long> takeover = new TreeMap<>(weights);
                        takeover.put(n.cluster(), 1_000L);
                        n.updateWeights(takeover);
                    }
                }
            }
            return send(nodes, receivers, lying);
        } finally {
            nodes.forEach(FederationNode::close);
            deleteTree(data);
        }
    }

    private static void deleteTree(java.nio.file.Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    private static boolean isLiar(ClusterId c) {
        return c.value().startsWith("liar");
    }

    private static boolean isHonest(ClusterId c) {
        return !c.value().startsWith("twin") && !isLiar(c);
    }

    /** Who is configured with whom: honest clusters with each other; twin half "a" with c1, half "b" with the rest. */
    private static boolean linked(NodeId a, NodeId b) {
        return side(a, b) && side(b, a);
    }

    private static boolean side(NodeId self, NodeId peer) {
        if (self.name().equals("a")) {
            return peer.cluster().value().equals("c1");
        }
        if (self.name().equals("b")) {
            return !peer.cluster().value().equals("c1") && peer.cluster().value().startsWith("c");
        }
        return true;
    }

    private int send(List<FederationNode> nodes, Receivers receivers, LyingTransports lying) throws Exception {
        FederationNode c1 = nodes.stream().filter(n -> n.cluster().value().equals("c1")).findFirst().orElseThrow();
        DeliveryOptions delivery = deliveryOptions(nodes);
        SplittableRandom random = new SplittableRandom(42);
        long[] latency = new long[options.messages()];
        Map<AbortReason, Long> aborted = new EnumMap<>(AbortReason.class);
        AtomicLong committed = new AtomicLong();
        AtomicLong done = new AtomicLong();
        Semaphore window = new Semaphore(WINDOW);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        List<DeliveryResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        long nextReport = start + TimeUnit.SECONDS.toNanos(1);
        out.printf("sending %d %s messages from c1 to %s%n", options.messages(), name(options.guarantee()),
                delivery.targets().isEmpty() ? "every cluster" : delivery.targets());
        for (int i = 0; i < options.messages(); i++) {
            int index = i;
            window.acquire();
            long sentAt = System.nanoTime();
            Message m = Message.builder("demo").payload(("message " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .build(random);
            pending.add(c1.send(m, delivery).handle((r, e) -> {
                if (r != null) {
                    results.add(r);
                }
                synchronized (latency) {
                    latency[index] = System.nanoTime() - sentAt;
                    if (r != null && r.success()) {
                        committed.incrementAndGet();
                    } else {
                        aborted.merge(r == null ? AbortReason.REJECTED : r.abortReason(), 1L, Long::sum);
                    }
                }
                done.incrementAndGet();
                window.release();
                return null;
            }));
            if (System.nanoTime() - nextReport > 0) {
                progress(done.get(), start);
                nextReport += TimeUnit.SECONDS.toNanos(1);
            }
        }
        for (CompletableFuture<Void> f : pending) {
            f.get(2, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        progress(done.get(), start);
        settle(c1, receivers, results);
        // proofs first: late votes still arriving add faults and proofs alike, so the figures read after count more
        long proofs = c1.equivocationEvidence().stream().filter(e -> e.verify(publicKeys.get(e.accused()))).count();
        FederationStatistics stats = c1.statistics();
        long ok = committed.get();
        List<String> violations = receivers.violations(results);
        long replaysRefused = 0;
        long forgeriesRefused = 0;
        long undecodable = 0;
        long votesRejected = 0;
        int weightsTaken = 0;
        for (FederationNode n : nodes) {
            if (isHonest(n.cluster())) {
                FederationStatistics s = n.statistics();
                replaysRefused += s.framesReplayed();
                forgeriesRefused += s.forgeriesRefused();
                undecodable += s.framesUndecodable();
                votesRejected += s.votesRejected();
                weightsTaken += n.weightTableVersion() == 1 ? 0 : 1;
            }
        }
        boolean success = ok == options.messages() && honestFlagged(stats) == 0 && violations.isEmpty()
                && weightsTaken == 0;
        out.printf("%s: %d of %d messages %s in %.2f s (%.0f messages/s); p50 %d us, p99 %d us; %d deliveries to "
                        + "subscribers; aborted %s; Byzantine faults detected %d (honest clusters flagged: %d; "
                        + "signed proofs "
                        + "checked with the accused's public key: %d); health %s%n",
                success ? "OK" : "FAILED", ok, options.messages(),
                options.guarantee().isVoted() ? "committed" : "succeeded", seconds, options.messages() / seconds,
                percentileMicros(latency, 50), percentileMicros(latency, 99), receivers.total(),
                aborted, stats.byzantineFaultsDetected(), honestFlagged(stats), proofs, stats.health());
        out.printf("receivers: %d deliveries at the honest clusters; %s%n", receivers.total(), violations.isEmpty()
                ? "each message delivered exactly once where it " + (options.guarantee().isVoted() ? "committed"
                : "was acknowledged") + ", nothing else" : violations.size() + " violations, first: "
                + violations.subList(0, Math.min(5, violations.size())));
        if (options.malicious() > 0) {
            out.printf("malicious members (%d): replayed %d frames, sent %d altered in place of the real ones, proposed "
                            + "weight tables giving themselves 1000; refused at the honest clusters: %d replays, %d "
                            + "forgeries, %d undecodable frames, %d votes; honest nodes whose weight table changed: %d "
                            + "(%s)%n", options.malicious(), lying.replayed(), lying.altered(), replaysRefused,
                    forgeriesRefused, undecodable, votesRejected, weightsTaken,
                    weightsTaken == 0 && violations.isEmpty() && honestFlagged(stats) == 0 ? "none of it took"
                            : "SOME OF IT TOOK");
        }
        if (options.json()) {
            StringBuilder reasons = new StringBuilder("{");
            aborted.forEach((k, v) -> reasons.append(reasons.length() > 1 ? "," : "").append('"').append(k)
                    .append("\":").append(v));
            reasons.append('}');
            out.printf("{\"transport\":\"%s\",\"clusters\":%d,\"messages\":%d,\"committed\":%d,\"aborted\":%s,"
                            + "\"byzantineDetected\":%d,\"honestFlagged\":%d,\"evidenceVerified\":%d,\"p50Micros\":%d,"
                            + "\"p99Micros\":%d,\"perSecond\":%.1f,\"durable\":%b,\"delivered\":%d,"
                            + "\"receiverViolations\":%d%s}%n",
                    options.transport(), options.clusters(),
                    options.messages(), ok, reasons, stats.byzantineFaultsDetected(), honestFlagged(stats), proofs,
                    percentileMicros(latency, 50), percentileMicros(latency, 99),
                    options.messages() / seconds, c1.storageStatistics().durable(), receivers.total(),
                    violations.size(), options.malicious() == 0 ? "" : String.format(java.util.Locale.ROOT,
                            ",\"malicious\":%d,\"replayed\":%d,\"altered\":%d,\"refused\":%d,\"weightsTaken\":%d",
                            options.malicious(), lying.replayed(), lying.altered(),
                            replaysRefused + forgeriesRefused + undecodable + votesRejected, weightsTaken));
        }
        return success ? 0 : 1;
    }

    /**
     * Waits (10 s at most) until every cluster the senders were told of delivered, and the deliveries and the
     * coordinator's fault count stopped changing for half a second: late votes and deliveries still arriving after the
     * last outcome then count too.
     */
    private static void settle(FederationNode c1, Receivers receivers, List<DeliveryResult> results)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() - deadline < 0) {
            long now = receivers.total() * 31 + c1.statistics().byzantineFaultsDetected();
            if (now != last) {
                last = now;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.MILLISECONDS.toNanos(500)
                    && receivers.caughtUp(results)) {
                return;
            }
            Thread.sleep(20); // a launcher waiting for its federation to go quiet, not a test
        }
    }

    /** The nearest-rank percentile of the send-to-outcome times, in microseconds (0 when nothing was sent). */
    static long percentileMicros(long[] nanos, int percent) {
        if (nanos.length == 0) {
            return 0;
        }
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1000;
    }

    /**
     * Voted guarantees go to every cluster, twins included (that is where twins show); the others go to the honest
     * clusters only (c1 to the rest, or to every cluster for broadcast).
     */
    private DeliveryOptions deliveryOptions(List<FederationNode> nodes) {
        DeliveryGuarantee g = options.guarantee();
        SortedSet<ClusterId> all = new TreeSet<>();
        nodes.forEach(n -> all.add(n.cluster()));
        SortedSet<ClusterId> honest = new TreeSet<>();
        all.stream().filter(Demo::isHonest).forEach(honest::add);
        SortedSet<ClusterId> others = new TreeSet<>(honest);
        if (others.size() > 1) {
            others.remove(ClusterId.of("c1"));
        }
        int twins = options.byzantine();
        DeliveryOptions o = DeliveryOptions.of(g).withTimeout(Duration.ofSeconds(30))
                .withRedundancy(twins > 0 && g.isVoted() ? 2 : 1); // two routes: both halves of a twin get PREPAREs
        return switch (g) {
            case CAUSAL -> o;
            case FIRE_AND_FORGET, AT_LEAST_ONCE -> o.withTargets(others);
            case BROADCAST -> o.withTargets(honest);
            case BYZANTINE_QUORUM -> o.withTargets(all).withByzantineTolerance(Math.max(twins + options.malicious(),
                    (all.size() - 1) / 3));
            default -> o.withTargets(all);
        };
    }

    /** Suspects that are not twins: honest clusters wrongly accused (must stay 0). */
    private static long honestFlagged(FederationStatistics stats) {
        return stats.faultsBySuspect().keySet().stream().filter(c -> !c.value().startsWith("twin")).count();
    }

    private void progress(long done, long start) {
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        out.printf("  %d / %d done (%.0f messages/s)%n", done, options.messages(), done / seconds);
    }

    private static String name(DeliveryGuarantee g) {
        return g.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static int cursor = (int) (ProcessHandle.current().pid() * 7919 % 3000);

    /**
     * A loopback port that was free a moment ago, from 9000-11999: outside every OS's ephemeral range (so no
     * outgoing connection, ours or another process's, takes it before a node binds it) and apart from the ranges
     * the test suites use.
     */
    private static synchronized InetSocketAddress freeLoopback() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int tries = 0; tries < 3000; tries++) {
            int port = 9000 + cursor;
            cursor = (cursor + 1) % 3000;
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(loopback, port));
                return new InetSocketAddress(loopback, port);
            } catch (IOException busy) {
                // taken: the next one
            }
        }
        throw new IOException("no free loopback port in 9000-11999");
    }
}
