package io.mpreg.bench;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.NodeId;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.FederationNodeBuilder;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * GLOBAL_QUORUM across three clusters (one node each, equal weights, threshold 2/3) on loopback, over each
 * transport plugin, next to a plain-socket ping-pong measured in the same run: latency with one round in flight
 * (p50/p99) and throughput with many rounds in flight (committed rounds per second).
 *
 * <pre>
 * mvn -q -DskipTests package -pl mpreg-bench -am
 * java -cp mpreg-bench/target/benchmarks.jar io.mpreg.bench.GlobalQuorum [transports tcp,jgroups]
 *      [latencyRounds 10000] [throughputRounds 100000] [window 256]
 * </pre>
 */
public final class GlobalQuorum {

    private GlobalQuorum() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogs();
        List<String> transports = List.of((args.length > 0 ? args[0] : "tcp,jgroups").split(","));
        int latencyRounds = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int throughputRounds = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 256;
        Histogram floor = new PingPong(64, 20_000, 50_000).plainSockets();
        System.out.printf("GLOBAL_QUORUM, 3 clusters, 2/3, 64-byte payloads; latency over %d rounds one at a time, "
                + "throughput over %d with %d in flight; JDK %s%n", latencyRounds, throughputRounds, window,
                System.getProperty("java.version"));
        System.out.printf("%-22s %10s %10s %12s %18s%n", "path", "p50 us", "p99 us", "rounds/s", "p50 / TCP RTT p50");
        System.out.printf("%-22s %10.1f %10.1f %12s %18s%n", "plain TCP ping-pong", floor.getValueAtPercentile(50)
                / 1000.0, floor.getValueAtPercentile(99) / 1000.0, "-", "1.00");
        for (String transport : transports) {
            BenchSupport.Measured m = measure(transport, latencyRounds, throughputRounds, window);
            System.out.printf("%-22s %10.1f %10.1f %12.0f %18.2f%n", "GLOBAL_QUORUM " + transport, m.p50Micros(),
                    m.p99Micros(), m.perSecond(),
                    (double) m.latency().getValueAtPercentile(50) / floor.getValueAtPercentile(50));
        }
    }

    /**
     * How the three nodes run: over {@code transport}; with {@code dataRoot} each keeps its log there (null: in
     * memory); {@code signed} votes (else an insecure federation's unsigned ones); batching on or off.
     */
    record Setup(String transport, java.nio.file.Path dataRoot, boolean signed, boolean batching) {
        static Setup of(String transport) {
            return new Setup(transport, null, false, true);
        }

        Setup withLog(java.nio.file.Path root) {
            return new Setup(transport, root, signed, batching);
        }

        Setup withSignedVotes() {
            return new Setup(transport, dataRoot, true, batching);
        }

        Setup withoutBatching() {
            return new Setup(transport, dataRoot, signed, false);
        }
    }

    /** One round at a time for latency (after as many warm-up rounds), then {@code window} in flight. */
    static BenchSupport.Measured measure(String transport, int latencyRounds, int throughputRounds, int window)
            throws Exception {
        return measure(Setup.of(transport), latencyRounds, throughputRounds, window);
    }

    /** As above; with {@code dataRoot} every node keeps its queues in a log there. */
    static BenchSupport.Measured measure(String transport, int latencyRounds, int throughputRounds, int window,
                                         java.nio.file.Path dataRoot) throws Exception {
        return measure(Setup.of(transport).withLog(dataRoot), latencyRounds, throughputRounds, window);
    }

    /** As above, set up as {@code setup} says. */
    static BenchSupport.Measured measure(Setup setup, int latencyRounds, int throughputRounds, int window)
            throws Exception {
        String transport = setup.transport();
        java.nio.file.Path dataRoot = setup.dataRoot();
        Map<NodeId, InetSocketAddress> gateways = new TreeMap<>();
        for (int i = 1; i <= 3; i++) {
            gateways.put(NodeId.of("c" + i, "gw"), BenchSupport.freeLoopback());
        }
        Map<ClusterId, Long> weights = new TreeMap<>();
        gateways.keySet().forEach(n -> weights.put(n.cluster(), 1L));
        Map<ClusterId, java.security.KeyPair> keys = new TreeMap<>();
        Map<ClusterId, java.security.PublicKey> publicKeys = new TreeMap<>();
        for (ClusterId c : weights.keySet()) {
            keys.put(c, io.mpreg.api.VoteKeys.generate());
            publicKeys.put(c, keys.get(c).getPublic());
        }
        List<FederationNode> nodes = new ArrayList<>();
        try {
            for (Map.Entry<NodeId, InetSocketAddress> e : gateways.entrySet()) {
                FederationNodeBuilder b = FederationNode.builder().federation("bench-" + transport).node(e.getKey())
                        .listen(e.getValue()).transport(transport).weights(1, weights)
                        .random(new SplittableRandom(e.getKey().hashCode())).admission(window, window * 4)
                        .insecure(true).batching(setup.batching()) // plaintext loopback; votes signed or not
                        .transportConfig(c -> c.withSendQueueCapacity(8192));
                if (setup.signed()) {
                    b.voteKeys(keys.get(e.getKey().cluster()).getPrivate(), publicKeys);
                }
                if (dataRoot != null) {
                    b.dataDirectory(BenchSupport.freshDirectory(dataRoot, e.getKey().cluster().value()));
                }
                gateways.forEach((peer, address) -> {
                    if (!peer.equals(e.getKey())) {
                        b.peer(peer, address);
                    }
                });
                nodes.add(b.build().start());
            }
            for (FederationNode n : nodes) {
                n.createQueue(io.mpreg.federation.queue.QueueConfig.fifo("bench")
                        .withCapacity(BenchSupport.capacityFor(latencyRounds * 2 + throughputRounds)));
                n.subscribe("bench", io.mpreg.federation.queue.SubscribeOptions.automaticAcks().withLocalOnly(true),
                        d -> { });
            }
            FederationNode c1 = nodes.get(0);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (nodes.stream().anyMatch(n -> n.reachableClusters().size() < 3)) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException(transport + ": federation not linked after 30 s");
                }
                Thread.onSpinWait();
            }
            DeliveryOptions options = DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM)
                    .withTargets(weights.keySet()).withTimeout(Duration.ofSeconds(30));
            return BenchSupport.sends(c1, options, latencyRounds, throughputRounds, window, transport);
        } finally {
            nodes.forEach(FederationNode::close);
        }
    }


}
