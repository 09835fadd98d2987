package io.mpreg.bench;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.NodeId;
import io.mpreg.api.VoteKeys;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.FederationNodeBuilder;

import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Voted delivery with and without signatures, side by side in one run: GLOBAL_QUORUM (2/3) and BYZANTINE_QUORUM
 * (f = 1) across four clusters of weight 1 on loopback over tcp, each unsigned (an insecure federation) and signed
 * (Ed25519 vote keys, as every secure node runs: signed votes, commit certificates, signed aborts). Latency with one
 * round in flight, throughput with {@code window} in flight; the signed figures as ratios of the unsigned.
 *
 * <pre>
 * mvn -q -DskipTests package -pl mpreg-bench -am
 * java -cp mpreg-bench/target/benchmarks.jar io.mpreg.bench.SignedQuorum [latencyRounds 1000] [throughputRounds 5000]
 *      [window 64]
 * </pre>
 * Uses the public API only, so the same file measures an earlier build too.
 */
public final class SignedQuorum {
    private static final int CLUSTERS = 4;

    private SignedQuorum() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogs();
        int latencyRounds = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        int throughputRounds = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        int window = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        System.out.printf(Locale.ROOT, "SignedQuorum: %d clusters over tcp, latency over %d rounds one at a time "
                + "(after as many warm-up), throughput over %d with %d in flight; JDK %s, %d cores%n", CLUSTERS,
                latencyRounds, throughputRounds, window, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-28s %10s %10s %12s %16s %16s%n", "path", "p50 us", "p99 us", "rounds/s",
                "p50 / unsigned", "rate / unsigned");
        for (DeliveryGuarantee g : List.of(DeliveryGuarantee.GLOBAL_QUORUM, DeliveryGuarantee.BYZANTINE_QUORUM)) {
            BenchSupport.Measured unsigned = measure(g, false, latencyRounds, throughputRounds, window);
            BenchSupport.Measured signed = measure(g, true, latencyRounds, throughputRounds, window);
            print(g + " unsigned", unsigned, unsigned);
            print(g + " signed", signed, unsigned);
        }
    }

    private static void print(String path, BenchSupport.Measured m, BenchSupport.Measured base) {
        System.out.printf(Locale.ROOT, "%-28s %10.1f %10.1f %12.0f %16.2f %16.2f%n", path, m.p50Micros(),
                m.p99Micros(), m.perSecond(), m.p50Micros() / base.p50Micros(), m.perSecond() / base.perSecond());
    }

    static BenchSupport.Measured measure(DeliveryGuarantee guarantee, boolean signed, int latencyRounds,
                                         int throughputRounds, int window) throws Exception {
        Map<NodeId, InetSocketAddress> gateways = new TreeMap<>();
        Map<ClusterId, KeyPair> keys = new TreeMap<>();
        Map<ClusterId, PublicKey> publicKeys = new TreeMap<>();
        Map<ClusterId, Long> weights = new TreeMap<>();
        for (int i = 1; i <= CLUSTERS; i++) {
            NodeId id = NodeId.of("c" + i, "gw");
            gateways.put(id, BenchSupport.freeLoopback());
            keys.put(id.cluster(), VoteKeys.generate());
            publicKeys.put(id.cluster(), keys.get(id.cluster()).getPublic());
            weights.put(id.cluster(), 1L);
        }
        String what = guarantee + (signed ? " signed" : " unsigned");
        List<FederationNode> nodes = new ArrayList<>();
        try {
            for (Map.Entry<NodeId, InetSocketAddress> e : gateways.entrySet()) {
                FederationNodeBuilder b = FederationNode.builder().federation("bench-signed").node(e.getKey())
                        .listen(e.getValue()).transport("tcp").weights(1, weights)
                        .random(new SplittableRandom(e.getKey().hashCode())).admission(window, window * 4)
                        .insecure(true) // plaintext loopback; the votes are what is signed or not
                        .transportConfig(c -> c.withSendQueueCapacity(8192));
                if (signed) {
                    b.voteKeys(keys.get(e.getKey().cluster()).getPrivate(), publicKeys);
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
            while (nodes.stream().anyMatch(n -> n.reachableClusters().size() < CLUSTERS)) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException(what + ": federation not linked after 30 s");
                }
                Thread.onSpinWait();
            }
            DeliveryOptions options = DeliveryOptions.of(guarantee).withTargets(weights.keySet())
                    .withByzantineTolerance(1).withTimeout(Duration.ofSeconds(60));
            return BenchSupport.sends(c1, options, latencyRounds, throughputRounds, window, what);
        } finally {
            nodes.forEach(FederationNode::close);
        }
    }
}
