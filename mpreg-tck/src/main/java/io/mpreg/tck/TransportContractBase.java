package io.mpreg.tck;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.PeerState;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportProvider;


import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * The set-up half of {@link TransportContract}: the hooks a plugin overrides and the helpers that build, link and
 * tear down meshes of nodes. Public so plugin authors can write further contract-style tests of their own.
 *
 * @since 0.1.0
 */
public abstract class TransportContractBase {
    private final List<TckNode> nodes = new ArrayList<>();

    /** For subclasses. */
    protected TransportContractBase() {
    }

    /** The provider under test; called once per node. */
    protected abstract TransportProvider provider();

    /**
     * Adjusts each node's config before its transport is created, for example to add plugin options. The default
     * returns it unchanged.
     */
    protected TransportConfig configure(TransportConfig config) {
        return config;
    }

    /** How long any awaited condition may take before the test fails: 20 s by default. */
    protected Duration patience() {
        return Duration.ofSeconds(20);
    }

    /** Makes a transport die. The default closes it; override to die more abruptly if your transport can. */
    protected void crash(Transport transport) {
        transport.close();
    }

    /**
     * The base config of a contract-kit node: 100 ms heartbeats, 1 s failure timeout, reconnect backoff 20 to
     * 200 ms, otherwise {@link TransportConfig#defaults}.
     */
    protected TransportConfig baseConfig(NodeId self, InetSocketAddress bind, Map<NodeId, InetSocketAddress> peers) {
        return TransportConfig.defaults(self, bind).withPeers(peers)
                .withFailureDetection(Duration.ofMillis(100), Duration.ofSeconds(1))
                .withReconnect(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    /** A node (not started) with the given identity, address and peers; closed after the test. */
    protected final TckNode node(NodeId self, InetSocketAddress bind, Map<NodeId, InetSocketAddress> peers) {
        return node(configure(baseConfig(self, bind, peers)));
    }

    /** A node (not started) from a finished config; closed after the test. */
    protected final TckNode node(TransportConfig config) {
        TckNode node = new TckNode(provider(), config);
        synchronized (nodes) {
            nodes.add(node);
        }
        return node;
    }

    /** {@code n} nodes (not started), clusters {@code tck-0 ... tck-(n-1)}, each configured with all others. */
    protected final List<TckNode> mesh(int n) {
        return mesh(n, UnaryOperator.identity());
    }

    /** As {@link #mesh(int)}, each config passed through {@code tweak} (before {@link #configure}). */
    protected final List<TckNode> mesh(int n, UnaryOperator<TransportConfig> tweak) {
        Map<NodeId, InetSocketAddress> all = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            all.put(NodeId.of("tck-" + i, "gw"), LoopbackPorts.next());
        }
        List<TckNode> out = new ArrayList<>();
        all.forEach((id, address) -> {
            Map<NodeId, InetSocketAddress> peers = new TreeMap<>(all);
            peers.remove(id);
            out.add(node(configure(tweak.apply(baseConfig(id, address, peers)))));
        });
        return out;
    }

    protected static List<TckNode> startAll(List<TckNode> mesh) {
        mesh.forEach(TckNode::start);
        return mesh;
    }

    /** Waits until every node lists every other node of {@code mesh} as UP and has been told so. */
    protected final void awaitLinked(List<TckNode> mesh) {
        Await.until(patience(), "every node of " + mesh.size() + " linked to every other", () -> {
            for (TckNode node : mesh) {
                for (TckNode other : mesh) {
                    if (other != node && (node.transport().peers().get(other.id()) != PeerState.UP
                            || !node.receiver().isUp(other.id()))) {
                        return false;
                    }
                }
            }
            return true;
        }, mesh::toString);
    }

    /** Waits until {@code at} has received at least {@code count} frames from {@code from}. */
    protected final void awaitFrames(TckNode at, NodeId from, int count) {
        Await.until(patience(), at.id() + " has " + count + " frames from " + from,
                () -> at.receiver().frameCount(from) >= count,
                () -> at.receiver().frameCount(from) + " frames, " + at);
    }

    /**
     * Sends, retrying while the queue is full (back-pressure is the caller's to handle), until the frame is taken
     * or something else answers.
     */
    protected final SendStatus sendWhenQueued(TckNode from, NodeId to, byte[] frame) {
        long deadline = System.nanoTime() + patience().toNanos();
        SendStatus status;
        while ((status = from.transport().send(to, frame)) == SendStatus.QUEUE_FULL
                && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(50_000);
        }
        return status;
    }

    /** Closes every node this test made. */
    protected final void closeAll() {
        List<TckNode> copy;
        synchronized (nodes) {
            copy = new ArrayList<>(nodes);
        }
        copy.forEach(TckNode::close);
    }
}
