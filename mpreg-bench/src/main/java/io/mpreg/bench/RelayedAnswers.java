package io.mpreg.bench;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.NodeId;
import io.mpreg.api.VoteKeys;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.FederationNodeBuilder;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.SubscribeOptions;

import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * AT_LEAST_ONCE across a relay, in one JVM on loopback: c1 is linked with c2 only, c3 with c2 only, and c1 sends to
 * c3's queue. c3's ACKs reach c1 through c2, so with keys c3 signs them (its link does not prove them to c1), and c1
 * checks each signature; without keys (an insecure federation) nothing is signed. The paths run one after the other
 * and alternate, so the ratio signed/unsigned is of one process and one warm JVM.
 *
 * <pre>
 * java -cp mpreg-bench/target/benchmarks.jar io.mpreg.bench.RelayedAnswers [paths signed,unsigned,signed,unsigned]
 *      [latencyMessages 5000] [throughputMessages 100000] [window 256] [transport tcp]
 * </pre>
 */
public final class RelayedAnswers {

    private RelayedAnswers() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogs();
        List<String> paths = List.of((args.length > 0 ? args[0] : "signed,unsigned,signed,unsigned").split(","));
        int latencyMessages = Integer.parseInt(args.length > 1 ? args[1] : "5000");
        int throughputMessages = Integer.parseInt(args.length > 2 ? args[2] : "100000");
        int window = Integer.parseInt(args.length > 3 ? args[3] : "256");
        String transport = args.length > 4 ? args[4] : "tcp";
        System.out.printf("AT_LEAST_ONCE c1 -> c3 through c2 over %s: latency over %d messages one at a time, "
                + "throughput over %d with %d in flight; JDK %s%n", transport, latencyMessages, throughputMessages,
                window, System.getProperty("java.version"));
        System.out.printf("%-10s %10s %10s %14s %10s%n", "path", "p50 us", "p99 us", "acked msg/s", "B/msg");
        for (String path : paths) {
            if (!path.equals("signed") && !path.equals("unsigned")) {
                throw new IllegalArgumentException("paths are signed or unsigned, got " + path);
            }
            BenchSupport.Measured m = measure(transport, path.equals("signed"), latencyMessages, throughputMessages,
                    window);
            System.out.printf("%-10s %10.1f %10.1f %14.0f %10.0f%n", path, m.p50Micros(), m.p99Micros(),
                    m.perSecond(), m.bytesPerOp());
        }
    }

    static BenchSupport.Measured measure(String transport, boolean signed, int latencyMessages,
                                         int throughputMessages, int window) throws Exception {
        List<NodeId> ids = List.of(NodeId.of("c1", "gw"), NodeId.of("c2", "gw"), NodeId.of("c3", "gw"));
        List<InetSocketAddress> addresses = new ArrayList<>();
        Map<ClusterId, KeyPair> keys = new TreeMap<>();
        Map<ClusterId, PublicKey> publicKeys = new TreeMap<>();
        for (NodeId id : ids) {
            addresses.add(BenchSupport.freeLoopback());
            KeyPair pair = VoteKeys.generate();
            keys.put(id.cluster(), pair);
            publicKeys.put(id.cluster(), pair.getPublic());
        }
        Map<ClusterId, Long> weights = new TreeMap<>();
        ids.forEach(id -> weights.put(id.cluster(), 1L));
        List<FederationNode> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                FederationNodeBuilder b = FederationNode.builder().federation("bench").node(ids.get(i))
                        .listen(addresses.get(i)).transport(transport).weights(1, weights)
                        .random(new SplittableRandom(i)).insecure(true) // plaintext links on loopback
                        .transportConfig(c -> c.withSendQueueCapacity(8192));
                if (signed) {
                    b.voteKeys(keys.get(ids.get(i).cluster()).getPrivate(), publicKeys);
                }
                for (int j = 0; j < 3; j++) {
                    if (Math.abs(i - j) == 1) { // a line: c1 - c2 - c3
                        b.peer(ids.get(j), addresses.get(j));
                    }
                }
                nodes.add(b.build());
            }
            nodes.forEach(FederationNode::start);
            FederationNode c3 = nodes.get(2);
            c3.createQueue(QueueConfig.fifo("bench").withCapacity(BenchSupport.capacityFor(latencyMessages * 2L
                    + throughputMessages)));
            c3.subscribe("bench", SubscribeOptions.automaticAcks().withLocalOnly(true), d -> {
            });
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!nodes.get(0).reachableClusters().contains(ClusterId.of("c3"))
                    || nodes.get(0).discoverQueues("bench").isEmpty()) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException("c1 does not reach c3's queue after 30 s");
                }
                Thread.sleep(10); // setup, not measured
            }
            DeliveryOptions options = DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)
                    .withTargets(ClusterId.of("c3")).withTimeout(Duration.ofSeconds(30));
            return BenchSupport.sends(nodes.get(0), options, latencyMessages, throughputMessages, window,
                    (signed ? "signed" : "unsigned") + " relayed");
        } finally {
            nodes.forEach(FederationNode::close);
        }
    }
}
