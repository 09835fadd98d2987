package io.mpreg.transport.jgroups.internal;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.transport.FrameReceiver;
import io.mpreg.api.spi.transport.PeerEvent;
import io.mpreg.api.spi.transport.PeerState;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.TransportConfig;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A partition made with JGroups' own fault protocol: DISCARD inserted above the transport of one node drops every
 * message in and out of it (a deterministic predicate: all of them). The two sides report each other down; the
 * majority keeps working; after the heal MERGE3 merges the views and everyone reports everyone up again.
 */
class PartitionTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private final List<JGroupsTransport> transports = new ArrayList<>();

    @AfterEach
    void close() {
        transports.forEach(JGroupsTransport::close);
    }

    @Test
    void anIsolatedNodeGoesDownAndComesBackAfterTheHeal() throws Exception {
        Map<NodeId, InetSocketAddress> all = new TreeMap<>();
        for (String c : List.of("part-a", "part-b", "part-c")) {
            all.put(NodeId.of(c, "gw"), freePort());
        }
        List<Events> seen = new ArrayList<>();
        for (Map.Entry<NodeId, InetSocketAddress> e : all.entrySet()) {
            Map<NodeId, InetSocketAddress> peers = new TreeMap<>(all);
            peers.remove(e.getKey());
            TransportConfig config = TransportConfig.defaults(e.getKey(), e.getValue()).withPeers(peers)
                    .withFailureDetection(Duration.ofMillis(200), Duration.ofSeconds(1))
                    .withOptions(PluginOptions.of("jgroups.cluster", "partition-test"));
            JGroupsTransport t = new JGroupsTransport(config, JGroupsOptions.from(config.options()));
            Events events = new Events();
            t.start(events);
            transports.add(t);
            seen.add(events);
        }
        NodeId a = NodeId.of("part-a", "gw");
        NodeId b = NodeId.of("part-b", "gw");
        NodeId c = NodeId.of("part-c", "gw");
        JGroupsTransport ta = transports.get(0);
        JGroupsTransport tc = transports.get(2);
        await("all linked", () -> transports.stream().allMatch(t -> t.peers().values().stream()
                .allMatch(s -> s == PeerState.UP) && t.peers().size() == 2), this::states);

        DISCARD discard = new DISCARD();
        discard.setAddress(tc.channel().getAddress());
        tc.channel().getProtocolStack().insertProtocol(discard, ProtocolStack.Position.ABOVE, TP.class);
        discard.discardAll(true);

        await("c cut off on both sides", () -> ta.peers().get(c) == PeerState.DOWN
                && transports.get(1).peers().get(c) == PeerState.DOWN
                && tc.peers().get(a) == PeerState.DOWN && tc.peers().get(b) == PeerState.DOWN, this::states);
        assertEquals(SendStatus.PEER_DOWN, ta.send(c, new byte[] {1}));
        assertEquals(PeerState.UP, ta.peers().get(b), "the majority stays linked");
        assertEquals(SendStatus.ACCEPTED, ta.send(b, new byte[] {2}));
        await("a frame across the majority", () -> seen.get(1).frames.contains(a + ":2"), () -> seen.get(1).frames);

        discard.discardAll(false);
        await("merged after the heal", () -> transports.stream().allMatch(t -> t.peers().values().stream()
                .allMatch(s -> s == PeerState.UP)), this::states);
        assertEquals(List.of(PeerEvent.Kind.UP, PeerEvent.Kind.DOWN, PeerEvent.Kind.UP), seen.get(0).kinds(c));
        assertEquals(List.of(PeerEvent.Kind.UP, PeerEvent.Kind.DOWN, PeerEvent.Kind.UP), seen.get(2).kinds(a));
        assertEquals(List.of(PeerEvent.Kind.UP), seen.get(0).kinds(b), "a and b never lost each other");
        assertEquals(SendStatus.ACCEPTED, ta.send(c, new byte[] {3}));
        assertEquals(SendStatus.ACCEPTED, tc.send(a, new byte[] {4}));
        await("frames across the healed link", () -> seen.get(2).frames.contains(a + ":3")
                && seen.get(0).frames.contains(c + ":4"), () -> seen.get(0).frames + " " + seen.get(2).frames);
    }

    private String states() {
        StringBuilder out = new StringBuilder();
        transports.forEach(t -> out.append(t.localNode()).append(t.peers()).append(' '));
        return out.toString();
    }

    private static void await(String what, BooleanSupplier condition, Supplier<?> state) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for " + what + "; " + state.get());
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    /** A port below every OS's ephemeral range (12000-19999 here, apart from mpreg-it's 20000-31999). */
    private static int cursor = (int) (ProcessHandle.current().pid() % 8000);

    private static synchronized InetSocketAddress freePort() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int i = 0; i < 8000; i++) {
            int port = 12_000 + cursor;
            cursor = (cursor + 1) % 8000;
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(loopback, port));
                return new InetSocketAddress(loopback, port);
            } catch (IOException busy) {
                // next
            }
        }
        throw new IOException("no free port in 12000-19999");
    }

    private static final class Events implements FrameReceiver {
        final List<PeerEvent> events = new CopyOnWriteArrayList<>();
        final List<String> frames = new CopyOnWriteArrayList<>();

        @Override
        public void onFrame(NodeId from, ByteBuffer frame) {
            frames.add(from + ":" + frame.get(frame.position()));
        }

        @Override
        public void onPeerEvent(PeerEvent event) {
            events.add(event);
        }

        List<PeerEvent.Kind> kinds(NodeId peer) {
            return events.stream().filter(e -> e.peer().equals(peer)).map(PeerEvent::kind).toList();
        }
    }
}
