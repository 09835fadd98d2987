package com.example.orders;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.NodeId;
import io.mpreg.api.VoteKeys;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.FederationNodeBuilder;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.SubscribeOptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Three clusters on loopback, one node each, with an {@code orders} queue on every cluster; sends orders with
 * GLOBAL_QUORUM (each delivered only where two thirds of the weight voted for it, votes signed) and checks that every
 * cluster of each commit delivered it. Exits 0 when all committed and were delivered where they committed, else 1.
 *
 * <p>Usage: {@code orders [messages]} (default 100).
 */
public final class OrdersFederation {
    private OrdersFederation() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        Map<NodeId, InetSocketAddress> gateways = new TreeMap<>();
        for (String c : List.of("c1", "c2", "c3")) {
            gateways.put(NodeId.of(c, "gw"), new InetSocketAddress("127.0.0.1", freePort()));
        }
        Map<ClusterId, Long> weights = new TreeMap<>();
        Map<ClusterId, KeyPair> keys = new TreeMap<>();
        Map<ClusterId, PublicKey> publicKeys = new TreeMap<>();
        for (NodeId id : gateways.keySet()) {
            weights.put(id.cluster(), 1L);
            keys.put(id.cluster(), VoteKeys.generate());
            publicKeys.put(id.cluster(), keys.get(id.cluster()).getPublic());
        }
        Map<ClusterId, AtomicLong> delivered = new TreeMap<>();
        List<FederationNode> nodes = new ArrayList<>();
        try {
            for (Map.Entry<NodeId, InetSocketAddress> g : gateways.entrySet()) {
                FederationNodeBuilder b = FederationNode.builder().federation("orders").node(g.getKey())
                        .listen(g.getValue()).transport("tcp").weights(1, weights)
                        .voteKeys(keys.get(g.getKey().cluster()).getPrivate(), publicKeys)
                        .insecure(true); // plaintext on loopback; a real deployment sets TLS (docs/security.md)
                gateways.forEach((peer, at) -> {
                    if (!peer.equals(g.getKey())) {
                        b.peer(peer, at);
                    }
                });
                FederationNode node = b.build().start();
                nodes.add(node);
                AtomicLong count = new AtomicLong();
                delivered.put(node.cluster(), count);
                node.createQueue(QueueConfig.fifo("orders"));
                node.subscribe("orders", SubscribeOptions.automaticAcks().withLocalOnly(true),
                        d -> count.incrementAndGet());
            }
            FederationNode c1 = nodes.get(0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (c1.discoverQueues("orders").size() < 3) {
                if (System.nanoTime() > deadline) {
                    System.err.println("orders: c1 did not discover the three queues in 30 s: "
                            + c1.discoverQueues("orders"));
                    System.exit(1);
                }
                Thread.sleep(20); // polling a condition, with a deadline
            }
            SplittableRandom random = new SplittableRandom();
            long committed = 0;
            long copies = 0;
            long started = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                Message order = Message.builder("orders").payload(("order " + i).getBytes(StandardCharsets.UTF_8))
                        .build(random);
                DeliveryResult r = c1.send(order, DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM))
                        .get(30, TimeUnit.SECONDS);
                if (r.success()) {
                    committed++;
                    copies += r.committedTo().size();
                } else {
                    System.err.println("orders: " + order.id() + " aborted: " + r.abortReasonIfAny() + " "
                            + r.failures());
                }
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            while (delivered.values().stream().mapToLong(AtomicLong::get).sum() < copies
                    && System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(30)) {
                Thread.sleep(20);
            }
            long deliveries = delivered.values().stream().mapToLong(AtomicLong::get).sum();
            String mpregModules = ModuleLayer.boot().modules().stream().map(Module::getName)
                    .filter(n -> n.startsWith("io.mpreg")).sorted().collect(Collectors.joining(", "));
            System.out.printf("orders: %d of %d committed with GLOBAL_QUORUM in %d ms over %s; %d deliveries where "
                            + "they committed (%d expected): %s; MPREG modules: %s%n", committed, messages, tookMillis,
                    c1.transportName(), deliveries, copies, delivered, mpregModules);
            System.exit(committed == messages && deliveries == copies ? 0 : 1);
        } finally {
            nodes.forEach(FederationNode::close);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
