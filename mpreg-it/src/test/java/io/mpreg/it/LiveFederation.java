package io.mpreg.it;

import io.mpreg.tck.Await;
import io.mpreg.api.ClusterId;
import io.mpreg.api.NodeId;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.FederationNodeBuilder;
import io.mpreg.federation.ProviderRegistry;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.SubscribeOptions;
import io.mpreg.tck.LoopbackPorts;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A live federation for integration tests: {@code n} clusters ({@code c1 ... cn}), one node each, on loopback over
 * the named transport, every node configured with every other, behind a {@link GatedTransports} firewall so a test
 * can cut links. Short gossip and retry settings keep tests quick; the failure detector allows 3 s of silence, so a
 * loaded machine does not make links flap (a flapped link lets the federation route around a test's cut).
 */
final class LiveFederation implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private static final Map<ClusterId, java.security.KeyPair> VOTE_KEYS =
            new java.util.concurrent.ConcurrentHashMap<>();

    final GatedTransports gate;
    final List<NodeId> ids = new ArrayList<>();
    final Map<NodeId, InetSocketAddress> addresses = new TreeMap<>();
    final List<FederationNode> nodes = new ArrayList<>();
    private final String transport;
    private final java.util.function.BiFunction<NodeId, FederationNodeBuilder, FederationNodeBuilder> customize;

    LiveFederation(String transport, int clusters) {
        this(transport, clusters, (id, b) -> b);
    }

    /** As above; {@code customize} adjusts each node's builder (admission limits, timeouts, ...). */
    LiveFederation(String transport, int clusters,
                   java.util.function.BiFunction<NodeId, FederationNodeBuilder, FederationNodeBuilder> customize) {
        this(transport, gateways(clusters), customize);
    }

    /** Nodes with the given ids (two ids of one cluster make a twin), each configured with the other clusters'. */
    LiveFederation(String transport, List<NodeId> nodeIds,
                   java.util.function.BiFunction<NodeId, FederationNodeBuilder, FederationNodeBuilder> customize) {
        this.customize = customize;
        this.transport = transport;
        this.gate = new GatedTransports(ProviderRegistry.transports().select(transport));
        for (NodeId id : nodeIds) {
            ids.add(id);
            addresses.put(id, LoopbackPorts.next());
        }
        for (NodeId id : ids) {
            nodes.add(build(id));
        }
    }

    private static List<NodeId> gateways(int clusters) {
        List<NodeId> out = new ArrayList<>();
        for (int i = 1; i <= clusters; i++) {
            out.add(NodeId.of("c" + i, "gw"));
        }
        return out;
    }

    private FederationNode build(NodeId id) {
        Map<ClusterId, Long> weights = new TreeMap<>();
        ids.forEach(n -> weights.put(n.cluster(), 1L));
        FederationNodeBuilder builder = FederationNode.builder().federation("it-" + transport).node(id)
                .listen(addresses.get(id)).weights(1, weights)
                .transport(gate).gossipInterval(Duration.ofMillis(200))
                .voteKeys(voteKey(id.cluster()).getPrivate(), publicKeys()).insecure(true) // plaintext loopback
                .retryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .transportConfig(c -> c.withFailureDetection(Duration.ofMillis(200), Duration.ofSeconds(3))
                        .withReconnect(Duration.ofMillis(20), Duration.ofMillis(200)));
        addresses.forEach((peer, address) -> {
            if (!peer.cluster().equals(id.cluster())) {
                builder.peer(peer, address);
            }
        });
        return customize.apply(id, builder).build();
    }

    /** Each cluster's vote key pair (a twin's two nodes share their cluster's, as copies of one cluster would). */
    static java.security.KeyPair voteKey(ClusterId cluster) {
        return VOTE_KEYS.computeIfAbsent(cluster, c -> io.mpreg.api.VoteKeys.generate());
    }

    /** The public vote keys of clusters c1 to c{@code n}, as a third party checking a certificate holds them. */
    static Map<ClusterId, java.security.PublicKey> publicVoteKeys(int n) {
        List<ClusterId> clusters = new java.util.ArrayList<>();
        for (int i = 1; i <= n; i++) {
            clusters.add(ClusterId.of("c" + i));
        }
        return publicVoteKeys(clusters);
    }

    /** The public vote keys of {@code clusters}. */
    static Map<ClusterId, java.security.PublicKey> publicVoteKeys(List<ClusterId> clusters) {
        Map<ClusterId, java.security.PublicKey> out = new TreeMap<>();
        clusters.forEach(c -> out.put(c, voteKey(c).getPublic()));
        return out;
    }

    private Map<ClusterId, java.security.PublicKey> publicKeys() {
        Map<ClusterId, java.security.PublicKey> out = new TreeMap<>();
        ids.forEach(n -> out.put(n.cluster(), voteKey(n.cluster()).getPublic()));
        return out;
    }

    LiveFederation start() {
        nodes.forEach(FederationNode::start);
        return this;
    }

    FederationNode node(int cluster) {
        return nodes.get(cluster - 1);
    }

    NodeId id(int cluster) {
        return ids.get(cluster - 1);
    }

    static ClusterId c(int cluster) {
        return ClusterId.of("c" + cluster);
    }

    /** Replaces node {@code cluster} (closed) by a fresh one on the same address, started. */
    FederationNode restart(int cluster) {
        node(cluster).close();
        FederationNode fresh = build(id(cluster)).start();
        nodes.set(cluster - 1, fresh);
        return fresh;
    }

    /** Waits until node {@code at} can reach exactly {@code clusters}. */
    void awaitReach(int at, int... clusters) {
        SortedSet<ClusterId> expected = new TreeSet<>();
        for (int c : clusters) {
            expected.add(c(c));
        }
        Await.until(PATIENCE, "c" + at + " reaches " + expected,
                () -> node(at).reachableClusters().equals(expected), () -> node(at).reachableClusters());
    }

    /**
     * Waits until every node's own link with every other cluster is up: reaching a cluster may still go through a
     * third one while a direct hello is under way, and a test that cuts one direct link needs none of that.
     */
    void awaitDirectLinks() {
        awaitFullyConnected();
        for (int i = 1; i <= nodes.size(); i++) {
            int at = i;
            Await.until(PATIENCE, "c" + at + " linked directly with every other cluster", () -> {
                java.util.Map<ClusterId, io.mpreg.federation.LinkStatus> links = node(at).statistics().links();
                return links.size() == nodes.size() - 1
                        && links.values().stream().allMatch(s -> s == io.mpreg.federation.LinkStatus.UP);
            }, () -> node(at).statistics().links());
        }
    }

    /** Waits until every node reaches every cluster. */
    void awaitFullyConnected() {
        int[] all = new int[nodes.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i + 1;
        }
        for (int i = 1; i <= nodes.size(); i++) {
            awaitReach(i, all);
        }
    }

    /**
     * Creates queue {@code queue} (FIFO, defaults) on {@code cluster} and subscribes a recording handler to that
     * cluster's own copy.
     */
    List<Delivery> subscribe(int cluster, String queue) {
        List<Delivery> got = new CopyOnWriteArrayList<>();
        node(cluster).createQueue(QueueConfig.fifo(queue));
        node(cluster).subscribe(queue, SubscribeOptions.automaticAcks().withLocalOnly(true), got::add);
        return got;
    }

    /** The outcome of a send, within {@link #PATIENCE}. */
    static io.mpreg.api.DeliveryResult outcome(java.util.concurrent.CompletableFuture<io.mpreg.api.DeliveryResult> f)
            throws Exception {
        return f.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The payloads of {@code deliveries} as text, in order. */
    static List<String> texts(List<Delivery> deliveries) {
        return deliveries.stream().map(d -> new String(d.message().payload(),
                java.nio.charset.StandardCharsets.UTF_8)).toList();
    }

    @Override
    public void close() {
        nodes.forEach(FederationNode::close);
    }
}
