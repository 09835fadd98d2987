package io.mpreg.it;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.NodeId;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.FederationNodeBuilder;
import io.mpreg.it.tck.LoopbackPorts;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's code example, run as written (only the ports come from LoopbackPorts). */
class ReadmeExampleIT {

    @Test
    void threeNodesAndEveryGuaranteeThatNeedsNoVote() throws Exception {
        // --- README example starts ---
        Map<NodeId, InetSocketAddress> gateways = new TreeMap<>(Map.of(
                NodeId.of("c1", "gw"), LoopbackPorts.next(),
                NodeId.of("c2", "gw"), LoopbackPorts.next(),
                NodeId.of("c3", "gw"), LoopbackPorts.next()));
        List<FederationNode> nodes = new ArrayList<>();
        gateways.forEach((id, address) -> {
            FederationNodeBuilder builder = FederationNode.builder()
                    .federation("demo").node(id).listen(address).transport("tcp");
            gateways.forEach((peer, peerAddress) -> {
                if (!peer.equals(id)) {
                    builder.peer(peer, peerAddress);
                }
            });
            nodes.add(builder.build().start());
        });
        FederationNode c1 = nodes.get(0);
        List<String> atC2 = new CopyOnWriteArrayList<>();
        nodes.get(1).subscribe("orders", d -> atC2.add(new String(d.message().payload(), StandardCharsets.UTF_8)));
        nodes.get(2).subscribe("orders", d -> { });
        nodes.get(0).subscribe("orders", d -> { });
        // ... once c1 reaches c2 and c3 (c1.reachableClusters()):
        Await.until(Duration.ofSeconds(30), "links up", () -> c1.reachableClusters().size() == 3);

        SplittableRandom random = new SplittableRandom(42);
        ClusterId c2 = ClusterId.of("c2");
        ClusterId c3 = ClusterId.of("c3");
        Message order = Message.builder("orders").payload("order 1".getBytes(StandardCharsets.UTF_8)).build(random);
        DeliveryResult acked = c1.send(order, DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE).withTargets(c2))
                .get(30, TimeUnit.SECONDS);                     // completes when c2 acknowledged
        DeliveryResult everyone = c1.send(Message.builder("orders").payload(new byte[] {1}).build(random),
                DeliveryOptions.of(DeliveryGuarantee.BROADCAST).withTargets(c2, c3).withRedundancy(2))
                .get(30, TimeUnit.SECONDS);                     // per-cluster outcome
        DeliveryResult causal = c1.send(Message.builder("orders").payload(new byte[] {2}).build(random),
                DeliveryOptions.of(DeliveryGuarantee.CAUSAL)).get(30, TimeUnit.SECONDS); // to every cluster, in order
        DeliveryResult fired = c1.send(Message.builder("orders").payload(new byte[] {3}).build(random),
                DeliveryOptions.of(DeliveryGuarantee.FIRE_AND_FORGET).withTargets(c3)).get(30, TimeUnit.SECONDS);
        nodes.forEach(FederationNode::close);
        // --- README example ends ---

        assertEquals(true, acked.success());
        assertEquals(java.util.Set.of(c2), acked.deliveredTo());
        assertEquals(java.util.Set.of(c2, c3), everyone.deliveredTo());
        assertEquals(java.util.Set.of(ClusterId.of("c1"), c2, c3), causal.deliveredTo());
        assertEquals(true, fired.success());
        Await.until(Duration.ofSeconds(30), "c2's subscriber ran", () -> atC2.size() == 3); // AT_LEAST_ONCE, BROADCAST, CAUSAL; the F&F went to c3
        assertEquals("order 1", atC2.get(0));
    }
}
