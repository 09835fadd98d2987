package io.mpreg.transport.tcp.internal;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.transport.PeerEvent;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.TransportConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input against a live node: each offender's connection is closed with a recorded reason, the node's real link
 * to another peer keeps carrying frames, and nothing reaches the application.
 */
class BadInputTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Duration FAILURE_TIMEOUT = Duration.ofMillis(600);
    private static final InetSocketAddress UNUSED = new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
    /** Smaller than the node's id, so the node never dials it: it is expected to dial in. */
    private static final NodeId FAKE = NodeId.of("node-a", "gw");
    private static final NodeId NODE = NodeId.of("node-m", "gw");
    private static final NodeId REAL = NodeId.of("node-z", "gw");

    private TcpTransport node;
    private TcpTransport real;
    private final Recorder nodeSees = new Recorder();
    private final Recorder realSees = new Recorder();

    @BeforeEach
    void linkNodeWithARealPeer() {
        real = new TcpTransport(config(REAL, Map.of(NODE, UNUSED)), TcpOptions.from(PluginOptions.NONE));
        real.start(realSees);
        node = new TcpTransport(config(NODE, Map.of(FAKE, UNUSED, REAL, real.boundAddress())),
                TcpOptions.from(PluginOptions.of("tcp.maxPendingHandshakes", "3")));
        node.start(nodeSees);
        Conditions.await(PATIENCE, "node and real peer linked", () -> nodeSees.up(REAL) && realSees.up(NODE),
                () -> nodeSees.events);
    }

    @AfterEach
    void close() {
        node.close();
        real.close();
    }

    private static TransportConfig config(NodeId self, Map<NodeId, InetSocketAddress> peers) {
        return TransportConfig.defaults(self, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withPeers(peers).withFailureDetection(Duration.ofMillis(100), FAILURE_TIMEOUT)
                .withReconnect(Duration.ofMillis(20), Duration.ofMillis(200));
    }

    private void assertRefused(long before, String reasonPart) {
        Conditions.await(PATIENCE, "a refusal mentioning '" + reasonPart + "'",
                () -> node.refusedConnections() > before
                        && node.recentRefusals().stream().anyMatch(r -> r.contains(reasonPart)),
                node::recentRefusals);
    }

    /** The node still works: a frame crosses its real link both ways, and no offender reached the application. */
    private void assertUndisturbed() {
        assertEquals(SendStatus.ACCEPTED, node.send(REAL, "ping".getBytes(StandardCharsets.UTF_8)));
        assertEquals(SendStatus.ACCEPTED, real.send(NODE, "pong".getBytes(StandardCharsets.UTF_8)));
        Conditions.await(PATIENCE, "frames over the real link",
                () -> realSees.frames.contains(NODE + ":ping") && nodeSees.frames.contains(REAL + ":pong"),
                () -> nodeSees.frames);
        assertEquals(List.of(REAL + ":pong"), nodeSees.frames, "nothing from an offender reached the application");
        assertEquals(List.of(PeerEvent.Kind.UP), nodeSees.eventsOf(REAL).stream().map(PeerEvent::kind).toList());
    }

    @Test
    void garbageInsteadOfAHelloIsRefused() throws IOException {
        long before = node.refusedConnections();
        try (RawPeer raw = new RawPeer(node.boundAddress())) {
            raw.out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            raw.out.flush();
            raw.awaitClosedBy(PATIENCE);
        }
        assertRefused(before, "not an MPREG tcp peer: magic 0x47455420");
        assertUndisturbed();
    }

    @Test
    void truncatedHelloIsRefused() throws IOException {
        long before = node.refusedConnections();
        try (RawPeer raw = new RawPeer(node.boundAddress())) {
            raw.out.writeInt(Wire.MAGIC);
            raw.out.writeByte(Wire.VERSION);
            raw.out.writeByte(200); // a 200-byte cluster name that never comes
            raw.out.flush();
            raw.socket.shutdownOutput();
            raw.awaitClosedBy(PATIENCE);
        }
        assertRefused(before, "connection closed during the hello");
        assertUndisturbed();
    }

    @Test
    void unknownVersionIsRefused() throws IOException {
        long before = node.refusedConnections();
        try (RawPeer raw = new RawPeer(node.boundAddress())) {
            raw.out.writeInt(Wire.MAGIC);
            raw.out.writeByte(9);
            raw.out.flush();
            raw.awaitClosedBy(PATIENCE);
        }
        assertRefused(before, "protocol version 9 not supported");
        assertUndisturbed();
    }

    @Test
    void unexpectedIdentityAndWrongAddresseeAreRefusedWithAReason() throws IOException {
        long before = node.refusedConnections();
        try (RawPeer raw = new RawPeer(node.boundAddress())) {
            Wire.Answer answer = raw.hello(NodeId.of("stranger", "gw"), NODE);
            assertFalse(answer.welcome());
            assertEquals("unexpected identity stranger/gw: not a configured peer of node-m/gw", answer.reason());
            raw.awaitClosedBy(PATIENCE);
        }
        try (RawPeer raw = new RawPeer(node.boundAddress())) {
            Wire.Answer answer = raw.hello(FAKE, NodeId.of("someone-else", "gw"));
            assertEquals("hello addressed to someone-else/gw, this is node-m/gw", answer.reason());
            raw.awaitClosedBy(PATIENCE);
        }
        assertRefused(before + 1, "hello addressed to someone-else/gw");
        assertUndisturbed();
    }

    @Test
    void negativeHugeAndUnknownHeadersCutTheLinkOff() throws IOException {
        int[][] headers = {{Wire.DATA, -5}, {Wire.DATA, Integer.MAX_VALUE}, {Wire.DATA, 0}, {99, 4},
                {Wire.HEARTBEAT, 7}};
        String[] reasons = {"data frame length -5 outside [1, 16777216]",
                "data frame length 2147483647 outside [1, 16777216]", "data frame length 0 outside [1, 16777216]",
                "unknown frame type 99 (length field 4)", "control frame type 2 with length 7 (must be 0)"};
        for (int i = 0; i < headers.length; i++) {
            int downsBefore = nodeSees.eventsOf(FAKE).size();
            try (RawPeer raw = new RawPeer(node.boundAddress())) {
                assertTrue(raw.hello(FAKE, NODE).welcome());
                raw.header(headers[i][0], headers[i][1]);
                raw.awaitClosedBy(PATIENCE);
            }
            String reason = reasons[i];
            Conditions.await(PATIENCE, "fake peer down: " + reason,
                    () -> nodeSees.eventsOf(FAKE).size() == downsBefore + 2
                            && nodeSees.eventsOf(FAKE).get(downsBefore + 1).detail().equals(reason),
                    () -> nodeSees.eventsOf(FAKE));
        }
        assertUndisturbed();
    }

    /** A peer that writes one byte at a time still gets its frames through, whole and in order. */
    @Test
    void oneByteWritesMakeWholeFrames() throws IOException {
        try (RawPeer raw = new RawPeer(node.boundAddress())) {
            assertTrue(raw.hello(FAKE, NODE).welcome());
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            java.io.DataOutputStream frames = new java.io.DataOutputStream(bytes);
            for (String text : List.of("one", "two")) {
                frames.writeByte(Wire.DATA);
                frames.writeInt(text.length());
                frames.writeBytes(text);
            }
            for (byte b : bytes.toByteArray()) {
                raw.out.write(b);
                raw.out.flush(); // TCP_NODELAY: each byte its own segment
            }
            Conditions.await(PATIENCE, "both frames", () -> nodeSees.frames.contains(FAKE + ":two"),
                    () -> nodeSees.frames);
            assertEquals(List.of(FAKE + ":one", FAKE + ":two"), nodeSees.frames);
        }
    }

    /** A reset in the middle of a frame ends that link only; the half frame reaches nobody. */
    @Test
    void aResetMidFrameEndsOnlyThatLink() throws IOException {
        int eventsBefore = nodeSees.eventsOf(FAKE).size();
        RawPeer raw = new RawPeer(node.boundAddress());
        assertTrue(raw.hello(FAKE, NODE).welcome());
        Conditions.await(PATIENCE, "fake peer up", () -> nodeSees.up(FAKE), () -> nodeSees.eventsOf(FAKE));
        raw.header(Wire.DATA, 100);
        raw.out.write(new byte[10]);
        raw.out.flush();
        raw.socket.setSoLinger(true, 0); // close with RST
        raw.close();
        Conditions.await(PATIENCE, "fake peer down after the reset", () -> nodeSees.eventsOf(FAKE).size()
                == eventsBefore + 2 && nodeSees.eventsOf(FAKE).get(eventsBefore + 1).kind() == PeerEvent.Kind.DOWN,
                () -> nodeSees.eventsOf(FAKE));
        assertUndisturbed();
    }

    @Test
    void slowLorisHelloAndSlowLorisFrameAreCutOff() throws IOException {
        long before = node.refusedConnections();
        long start = System.nanoTime();
        try (RawPeer raw = new RawPeer(node.boundAddress())) {
            trickle(raw, new byte[] {0x4D, 0x50, 0x52, 0x54, 1, 5, 'n', 'o', 'd', 'e', '-', 'a', 2, 'g', 'w'});
            raw.awaitClosedBy(PATIENCE);
        }
        assertRefused(before, "hello not complete in time (peer too slow)");
        int eventsBefore = nodeSees.eventsOf(FAKE).size();
        try (RawPeer raw = new RawPeer(node.boundAddress())) {
            assertTrue(raw.hello(FAKE, NODE).welcome());
            raw.header(Wire.DATA, 1000);
            trickle(raw, new byte[1000]);
            raw.awaitClosedBy(PATIENCE);
        }
        Conditions.await(PATIENCE, "slow frame cut off", () -> nodeSees.eventsOf(FAKE).size() == eventsBefore + 2
                && nodeSees.eventsOf(FAKE).get(eventsBefore + 1).detail()
                .equals("frame of 1000 bytes not complete in time (peer too slow)"), () -> nodeSees.eventsOf(FAKE));
        assertTrue(System.nanoTime() - start < PATIENCE.toNanos());
        assertUndisturbed();
    }

    /** Writes one byte every 50 ms (under the failure timeout, so each byte beats the socket's read timeout). */
    private static void trickle(RawPeer raw, byte[] bytes) {
        try {
            for (byte b : bytes) {
                raw.out.write(b);
                raw.out.flush();
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // the fault itself, not a synchronisation
            }
        } catch (IOException cutOff) {
            // expected once the node gives up on us
        }
    }

    @Test
    void aSilentPeerIsReportedDownAfterTheFailureTimeout() throws IOException {
        try (RawPeer raw = new RawPeer(node.boundAddress())) {
            assertTrue(raw.hello(FAKE, NODE).welcome());
            Conditions.await(PATIENCE, "fake peer up", () -> nodeSees.up(FAKE), () -> nodeSees.events);
            long upAt = System.nanoTime();
            Conditions.await(PATIENCE, "silent fake peer down", () -> !nodeSees.up(FAKE), () -> nodeSees.events);
            long tookMillis = (System.nanoTime() - upAt) / 1_000_000;
            List<PeerEvent> events = nodeSees.eventsOf(FAKE);
            assertEquals("heartbeat silence: nothing heard for 600 ms", events.get(events.size() - 1).detail());
            assertTrue(tookMillis >= FAILURE_TIMEOUT.toMillis() - 50, "down after " + tookMillis + " ms");
        }
        assertUndisturbed();
    }

    @Test
    void handshakesBeyondTheCapAreClosedAtOnce() throws IOException {
        long before = node.refusedConnections();
        try (RawPeer a = new RawPeer(node.boundAddress()); RawPeer b = new RawPeer(node.boundAddress());
             RawPeer c = new RawPeer(node.boundAddress()); RawPeer d = new RawPeer(node.boundAddress())) {
            assertTrue(a.socket.isConnected() && b.socket.isConnected() && c.socket.isConnected(),
                    "three silent connections hold the three handshake slots");
            d.awaitClosedBy(Duration.ofMillis(FAILURE_TIMEOUT.toMillis() / 2));
            assertRefused(before, "too many pending handshakes (tcp.maxPendingHandshakes=3)");
        }
        assertUndisturbed();
    }
}
