package io.mpreg.it;

import io.mpreg.tck.Await;
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
import io.mpreg.tck.LoopbackPorts;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The README's code example and its continuation in docs/guide.md, run as written: only the ports come from LoopbackPorts, the prints are collected, and
 * each node is also recorded so that it is closed even when an assertion fails.
 */
class ReadmeExampleIT {

    @Test
    void threeClustersQueuesAnywhereAndEveryGuarantee() throws Exception {
        List<String> printed = new CopyOnWriteArrayList<>();
        List<FederationNode> started = new ArrayList<>();
        try {
            run(printed, started);
        } finally {
            started.forEach(FederationNode::close); // also when an assertion fails: no node outlives the test
        }
    }

    private void run(List<String> printed, List<FederationNode> started) throws Exception {
        // --- README example (and docs/guide.md's) starts ---
        Map<NodeId, InetSocketAddress> gateways = new TreeMap<>(Map.of(
                NodeId.of("c1", "gw"), LoopbackPorts.next(),
                NodeId.of("c2", "gw"), LoopbackPorts.next(),
                NodeId.of("c3", "gw"), LoopbackPorts.next()));
        Map<ClusterId, Long> weights = Map.of(ClusterId.of("c1"), 1L, ClusterId.of("c2"), 1L, ClusterId.of("c3"), 1L);
        Map<ClusterId, KeyPair> voteKeys = new TreeMap<>();   // each cluster's Ed25519 key: it signs its votes
        gateways.keySet().forEach(id -> voteKeys.put(id.cluster(), VoteKeys.generate())); // or VoteKeys.read*Key(file)
        Map<ClusterId, PublicKey> publicKeys = new TreeMap<>();
        voteKeys.forEach((cluster, pair) -> publicKeys.put(cluster, pair.getPublic()));
        List<FederationNode> nodes = new ArrayList<>();
        gateways.forEach((id, address) -> {
            FederationNodeBuilder builder = FederationNode.builder()
                    .federation("demo").node(id).listen(address).transport("tcp").weights(1, weights)
                    .voteKeys(voteKeys.get(id.cluster()).getPrivate(), publicKeys)
                    .insecure(true);
            gateways.forEach((peer, peerAddress) -> {
                if (!peer.equals(id)) {
                    builder.peer(peer, peerAddress);
                }
            });
            nodes.add(builder.build().start());
            started.add(nodes.get(nodes.size() - 1));
        });
        FederationNode c1 = nodes.get(0);
        FederationNode c2 = nodes.get(1);
        FederationNode c3 = nodes.get(2);
        c2.createQueue(QueueConfig.fifo("orders"));
        c1.subscribe("ord*", d -> printed.add("c1 got " + new String(d.message().payload(), StandardCharsets.UTF_8)));
        // ... once c3 has discovered it:
        Await.until(Duration.ofSeconds(30), "c3 discovers orders", () -> c3.discoverQueues("ord*").size() == 1);

        SplittableRandom random = new SplittableRandom(42);
        Message order = Message.builder("orders").payload("order 1".getBytes(StandardCharsets.UTF_8)).build(random);
        DeliveryResult stored = c3.send(order, DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE))
                .get(30, TimeUnit.SECONDS);             // routed to c2; completes once c2's queue accepted it
        // --- the README's part ends; docs/guide.md goes on ---
        DeliveryResult fired = c3.send(Message.builder("orders").payload(new byte[] {3}).build(random),
                DeliveryOptions.of(DeliveryGuarantee.FIRE_AND_FORGET)).get(30, TimeUnit.SECONDS);

        for (FederationNode n : nodes) {                // a copy on every cluster
            n.createQueue(QueueConfig.fifo("ledger"));
            n.subscribe("ledger", SubscribeOptions.automaticAcks().withLocalOnly(true),
                    d -> printed.add(n.cluster() + " ledger " + d.guarantee()));
        }
        // ... once c1 reaches all three (c1.reachableClusters()) and has discovered their ledgers:
        Await.until(Duration.ofSeconds(30), "c1 reaches and knows three ledgers",
                () -> c1.reachableClusters().size() == 3 && c1.discoverQueues("ledger").size() == 3);
        DeliveryResult voted = c1.send(Message.builder("ledger").payload(new byte[] {1}).build(random),
                DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM)).get(30, TimeUnit.SECONDS); // 2/3 of the weight
        DeliveryResult everyone = c1.send(Message.builder("ledger").payload(new byte[] {2}).build(random),
                DeliveryOptions.of(DeliveryGuarantee.BROADCAST).withRedundancy(2))
                .get(30, TimeUnit.SECONDS);             // every cluster holding 'ledger'; per-cluster outcome
        DeliveryResult causal = c1.send(Message.builder("ledger").payload(new byte[] {4}).build(random),
                DeliveryOptions.of(DeliveryGuarantee.CAUSAL)).get(30, TimeUnit.SECONDS); // every cluster, in order
        // --- docs/guide.md's example ends ---

        ClusterId id1 = ClusterId.of("c1");
        ClusterId id2 = ClusterId.of("c2");
        ClusterId id3 = ClusterId.of("c3");
        assertEquals(true, stored.success(), stored.toString());
        assertEquals(Set.of(id2), stored.deliveredTo());
        assertEquals(true, fired.success(), fired.toString());
        assertEquals(true, voted.success(), voted.toString());
        assertEquals(true, voted.committedTo().size() >= 2, voted.toString());
        assertEquals(Set.of(id1, id2, id3), everyone.deliveredTo());
        assertEquals(Set.of(id1, id2, id3), causal.deliveredTo());
        List<String> expected = new ArrayList<>(List.of("c1 got order 1", "c1 got \u0003"));
        for (ClusterId c : List.of(id1, id2, id3)) {
            expected.add(c + " ledger BROADCAST");
            expected.add(c + " ledger CAUSAL");
        }
        for (ClusterId c : voted.committedTo()) { // exactly the clusters whose yes votes the certificate holds
            expected.add(c + " ledger GLOBAL_QUORUM");
        }
        Await.until(Duration.ofSeconds(30), "every subscriber ran", () -> printed.containsAll(expected),
                () -> printed);
        assertEquals(voted.committedTo().size(), printed.stream().filter(l -> l.endsWith("GLOBAL_QUORUM")).count(),
                "delivered where it committed, nowhere else: " + printed);
        for (String line : printed) {
            assertEquals(1, printed.stream().filter(line::equals).count(), "each delivery once: " + printed);
        }
    }
}
