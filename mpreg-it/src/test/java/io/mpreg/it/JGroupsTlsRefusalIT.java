package io.mpreg.it;

import io.mpreg.tck.TlsOptions;
import io.mpreg.tck.Await;
import io.mpreg.api.NodeId;
import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.transport.PeerState;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportProvider;
import io.mpreg.federation.ProviderRegistry;
import io.mpreg.tck.LoopbackPorts;
import io.mpreg.tck.RecordingReceiver;
import io.mpreg.tck.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * JGroups with TLS: a node whose certificate comes from another authority, or that speaks plaintext, never joins
 * the federation's view (it is alone in its own), while two members link; the members' applications get nothing
 * from it. A node holding a real member's certificate, of another cluster than the one it claims, joins JGroups'
 * view but never comes up at the others and its frames are refused. The listener itself is probed directly: a
 * client without a federation certificate is refused by the handshake, not merely ignored.
 */
class JGroupsTlsRefusalIT {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    @TempDir
    static Path dir;
    private static PluginOptions memberA;
    private static PluginOptions memberB;
    private static PluginOptions rogue;
    private static PluginOptions anotherCluster;
    private static Path expiredStore;
    private static PluginOptions expired;
    private static Path trustStore;
    private static Path intruderStore;

    private final NodeId a = NodeId.of("jtls-a", "gw");
    private final NodeId b = NodeId.of("jtls-b", "gw");
    private final NodeId x = NodeId.of("jtls-x", "gw");

    private final List<Transport> opened = new ArrayList<>();
    private final TransportProvider jgroups = ProviderRegistry.transports().select("jgroups");

    @BeforeAll
    static void makeCertificates() {
        TestPki federation = TestPki.create(dir, "federation");
        TestPki rogueCa = TestPki.create(dir, "rogue");
        trustStore = federation.trustStore();
        intruderStore = rogueCa.issue("intruder");
        memberA = TlsOptions.options(federation.issue("jtls-a"), trustStore); // CN = the cluster id
        memberB = TlsOptions.options(federation.issue("jtls-b"), trustStore);
        rogue = TlsOptions.options(intruderStore, trustStore);
        anotherCluster = TlsOptions.options(federation.issue("jtls-c"), trustStore); // valid, but not jtls-x's
        expiredStore = federation.issueExpired("jtls-x"); // the right authority and cluster, eight days too late
        expired = TlsOptions.options(expiredStore, trustStore);
    }

    @AfterEach
    void close() {
        opened.forEach(Transport::close);
    }

    @Test
    void aRogueCertificateNeverJoins() {
        assertKeptOut(rogue);
    }

    @Test
    void anExpiredCertificateNeverJoins() {
        assertKeptOut(expired);
    }

    @Test
    void aPlaintextNodeNeverJoins() {
        assertKeptOut(PluginOptions.NONE);
    }

    @Test
    void theTlsListenerRefusesClientsWithoutAFederationCertificate() throws Exception {
        Map<NodeId, InetSocketAddress> all = Map.of(a, LoopbackPorts.next(), b, LoopbackPorts.next());
        start(a, all, memberA, new RecordingReceiver());
        TlsProbe.assertTlsRefused(all.get(a), TlsProbe.client(null, trustStore));
        TlsProbe.assertTlsRefused(all.get(a), TlsProbe.client(intruderStore, trustStore));
        TlsProbe.assertTlsRefused(all.get(a), TlsProbe.client(expiredStore, trustStore));
    }

    /** Members a and b, and x, the offender, each on its own loopback port. */
    private Map<NodeId, InetSocketAddress> threeNodes() {
        return Map.of(a, LoopbackPorts.next(), b, LoopbackPorts.next(), x, LoopbackPorts.next());
    }

    private void assertKeptOut(PluginOptions offenderOptions) {
        Map<NodeId, InetSocketAddress> all = threeNodes();
        RecordingReceiver atX = new RecordingReceiver();
        Transport tx = start(x, all, offenderOptions, atX);
        RecordingReceiver atA = new RecordingReceiver();
        RecordingReceiver atB = new RecordingReceiver();
        Transport ta = start(a, all, memberA, atA);
        start(b, all, memberB, atB);
        Await.until(PATIENCE, "the members link", () -> atA.isUp(b) && atB.isUp(a), ta::peers);
        assertEquals(SendStatus.ACCEPTED, ta.send(b, new byte[] {1}));
        Await.until(PATIENCE, "a frame between the members", () -> atB.frameCount(a) == 1);
        assertEquals(List.of(), atA.events(x), "the offender never came up at a");
        assertEquals(List.of(), atB.events(x), "nor at b");
        assertEquals(List.of(), atX.events(a), "nor did a, seen from the offender");
        assertEquals(PeerState.DOWN, ta.peers().get(x));
        assertEquals(SendStatus.PEER_DOWN, tx.send(a, new byte[] {1}));
        assertEquals(0, atA.frameCount(x) + atB.frameCount(x));
    }

    @Test
    void aMemberCertificateOfAnotherClusterNeverComesUpAndItsFramesAreRefused() {
        Map<NodeId, InetSocketAddress> all = threeNodes();
        RecordingReceiver atA = new RecordingReceiver();
        RecordingReceiver atB = new RecordingReceiver();
        RecordingReceiver atX = new RecordingReceiver();
        Transport ta = start(a, all, memberA, atA);
        Transport tb = start(b, all, memberB, atB);
        Transport tx = start(x, all, anotherCluster, atX);
        // x's TLS is valid, so JGroups lets it in; x checks the others' certificates and finds them right
        Await.until(PATIENCE, "the members link, and x sees them", () -> atA.isUp(b) && atB.isUp(a)
                && atX.isUp(a) && atX.isUp(b), () -> ta.peers() + " / " + tx.peers());
        for (int i = 0; i < 10; i++) {
            assertEquals(SendStatus.ACCEPTED, tx.send(a, new byte[] {(byte) i}));
            assertEquals(SendStatus.ACCEPTED, tx.send(b, new byte[] {(byte) i}));
        }
        Await.until(PATIENCE, "a and b refuse all of x's frames", () -> refused(ta) >= 10
                && refused(tb) >= 10, () -> refused(ta) + " / " + refused(tb));
        assertEquals(SendStatus.ACCEPTED, ta.send(b, new byte[] {1}));
        Await.until(PATIENCE, "a frame between the members", () -> atB.frameCount(a) == 1);
        assertEquals(List.of(), atA.events(x), "x never came up at a");
        assertEquals(List.of(), atB.events(x), "nor at b");
        assertEquals(PeerState.DOWN, ta.peers().get(x));
        assertEquals(0, atA.frameCount(x) + atB.frameCount(x), "no frame of x reached an application");
    }

    /** The plugin's count of refused frames (an internal figure: the module path run opens the package for it). */
    private static long refused(Transport t) {
        try {
            java.lang.reflect.Method m = t.getClass().getDeclaredMethod("refusedFrames");
            m.setAccessible(true);
            return (long) m.invoke(t);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("the jgroups plugin no longer counts refused frames", e);
        }
    }

    private Transport start(NodeId self, Map<NodeId, InetSocketAddress> all, PluginOptions options,
                            RecordingReceiver receiver) {
        Map<NodeId, InetSocketAddress> peers = new java.util.TreeMap<>(all);
        peers.remove(self);
        TransportConfig config = TransportConfig.defaults(self, all.get(self)).withPeers(peers)
                .withFailureDetection(Duration.ofMillis(100), Duration.ofSeconds(1)).withOptions(options);
        Transport t = jgroups.create(config);
        opened.add(t);
        t.start(receiver);
        return t;
    }
}
