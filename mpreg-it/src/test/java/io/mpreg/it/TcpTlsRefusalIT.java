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

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With TLS on, only peers holding a certificate from the federation's trust store link: a member of a rogue
 * authority, a client without a certificate and a plaintext peer are each refused, and nothing reaches the
 * application. A genuine member linking proves the refusals are about the certificates.
 */
class TcpTlsRefusalIT {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    @TempDir
    static Path dir;
    private static PluginOptions member;
    private static PluginOptions memberB;
    private static Path memberBStore;
    private static PluginOptions anotherCluster;
    private static Path anotherClusterStore;
    private static PluginOptions rogue;
    private static PluginOptions plaintext;
    private static Path trustStore;
    private static Path intruderStore;
    private static Path expiredStore;
    private static PluginOptions expired;
    private static final byte[] MAGIC = {0x4D, 0x50, 0x52, 0x54};
    /** The start of the tcp plugin's welcome: magic, version 1, WELCOME. */
    private static final byte[] WELCOME = {0x4D, 0x50, 0x52, 0x54, 1, 0};

    private final List<Transport> opened = new ArrayList<>();
    private final TransportProvider tcp = ProviderRegistry.transports().select("tcp");
    private final NodeId serverId = NodeId.of("tls-b", "gw");
    private final NodeId clientId = NodeId.of("tls-a", "gw"); // the smaller id dials
    private final InetSocketAddress serverAddress = LoopbackPorts.next();
    private final InetSocketAddress clientAddress = LoopbackPorts.next();

    @BeforeAll
    static void makeCertificates() {
        TestPki federation = TestPki.create(dir, "federation");
        TestPki rogueCa = TestPki.create(dir, "rogue");
        trustStore = federation.trustStore();
        member = TlsOptions.options(federation.issue("tls-a"), trustStore); // CN = the cluster id
        memberBStore = federation.issue("tls-b");
        memberB = TlsOptions.options(memberBStore, trustStore);
        anotherClusterStore = federation.issue("tls-c"); // a real member's certificate, of another cluster
        anotherCluster = TlsOptions.options(anotherClusterStore, trustStore);
        intruderStore = rogueCa.issue("intruder");
        rogue = TlsOptions.options(intruderStore, trustStore); // trusts us, but we do not trust it
        expiredStore = federation.issueExpired("tls-a"); // the right authority and cluster, eight days too late
        expired = TlsOptions.options(expiredStore, trustStore);
        plaintext = PluginOptions.NONE;
    }

    @AfterEach
    void close() {
        opened.forEach(Transport::close);
    }

    private Transport start(NodeId self, InetSocketAddress bind, NodeId peer, InetSocketAddress peerAddress,
                            PluginOptions options, RecordingReceiver receiver) {
        TransportConfig config = TransportConfig.defaults(self, bind).withPeers(Map.of(peer, peerAddress))
                .withFailureDetection(Duration.ofMillis(100), Duration.ofSeconds(1))
                .withReconnect(Duration.ofMillis(20), Duration.ofMillis(100)).withOptions(options);
        Transport t = tcp.create(config);
        opened.add(t);
        t.start(receiver);
        return t;
    }

    @Test
    void membersOfTheFederationLink() {
        RecordingReceiver atServer = new RecordingReceiver();
        RecordingReceiver atClient = new RecordingReceiver();
        start(serverId, serverAddress, clientId, clientAddress, memberB, atServer);
        Transport client = start(clientId, clientAddress, serverId, serverAddress, member, atClient);
        Await.until(PATIENCE, "TLS link up", () -> atServer.isUp(clientId) && atClient.isUp(serverId),
                () -> atServer.events(clientId));
        assertEquals(true, atServer.events(clientId).get(0).detail().startsWith("linked over TLS"),
                atServer.events(clientId).toString());
        assertEquals(SendStatus.ACCEPTED, client.send(serverId, new byte[] {5}));
        Await.until(PATIENCE, "frame over TLS", () -> atServer.frameCount(clientId) == 1);
    }

    @Test
    void aRogueCertificateIsRefused() throws Exception {
        assertRefused(rogue, TlsProbe.client(intruderStore, trustStore), false);
    }

    /** A federation member's valid certificate, but of cluster tls-c, cannot speak as tls-a. */
    @Test
    void theCertificateOfAnotherClusterIsRefused() throws Exception {
        assertRefused(anotherCluster, TlsProbe.client(anotherClusterStore, trustStore), true);
    }

    /**
     * Seen from the dialing side: a TLS listener at tls-b's address presenting a federation certificate of cluster
     * tls-c hears nothing (tls-a hangs up before its hello), while one presenting tls-b's own hears the hello.
     */
    @Test
    void aListenerWithAnotherClustersCertificateHearsNoHello() throws Exception {
        assertEquals(-1, firstByteHeardBy(anotherClusterStore), "hung up before the hello");
        assertEquals(MAGIC[0], firstByteHeardBy(memberBStore), "the control hears the hello");
    }

    /** Runs a raw TLS listener with {@code store} where tls-b should be, lets tls-a dial it, returns the first byte. */
    private int firstByteHeardBy(Path store) throws Exception {
        javax.net.ssl.SSLContext context = TlsProbe.client(store, trustStore);
        try (javax.net.ssl.SSLServerSocket listener = (javax.net.ssl.SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket()) {
            listener.setReuseAddress(true);
            listener.setNeedClientAuth(true);
            listener.bind(serverAddress);
            Transport client = start(clientId, clientAddress, serverId, serverAddress, member, new RecordingReceiver());
            listener.setSoTimeout((int) PATIENCE.toMillis());
            try (java.net.Socket accepted = listener.accept()) {
                accepted.setSoTimeout((int) PATIENCE.toMillis());
                return accepted.getInputStream().read();
            } finally {
                client.close();
            }
        }
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        assertRefused(expired, TlsProbe.client(expiredStore, trustStore), false);
    }

    @Test
    void aPlaintextPeerIsRefused() throws IOException {
        assertRefused(plaintext, null, false);
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        assertRefused(rogue, TlsProbe.client(null, trustStore), false);
    }

    /**
     * The offender, a real transport with {@code offenderOptions}, dials the TLS node in its reconnect loop while a
     * raw client with the same kind of credentials ({@code raw}; null: plaintext) is refused three times, seen
     * directly. Neither side ever reports the other up and the node's application gets nothing. A genuine member
     * with the offender's identity and address then links: the refusals were about the certificates.
     */
    private void assertRefused(PluginOptions offenderOptions, SSLContext raw, boolean atHello) throws IOException {
        RecordingReceiver atServer = new RecordingReceiver();
        RecordingReceiver atOffender = new RecordingReceiver();
        Transport server = start(serverId, serverAddress, clientId, clientAddress, memberB, atServer);
        Transport offender = start(clientId, clientAddress, serverId, serverAddress, offenderOptions, atOffender);
        for (int i = 0; i < 3; i++) {
            if (raw == null) {
                TlsProbe.assertActivelyRefused(serverAddress, null, hello(), MAGIC);
            } else if (atHello) { // TLS succeeds (a federation certificate); the hello is refused, not welcomed
                TlsProbe.assertActivelyRefused(serverAddress, raw, hello(), WELCOME);
            } else {
                TlsProbe.assertTlsRefused(serverAddress, raw);
            }
        }
        assertEquals(List.of(), atServer.events(clientId), "the offender never came up");
        assertEquals(List.of(), atOffender.events(serverId), "nor did the node, seen from the offender");
        assertEquals(PeerState.DOWN, server.peers().get(clientId));
        assertEquals(SendStatus.PEER_DOWN, offender.send(serverId, new byte[] {1}));
        offender.close();
        RecordingReceiver atMember = new RecordingReceiver();
        start(clientId, clientAddress, serverId, serverAddress, member, atMember);
        Await.until(PATIENCE, "a genuine member links", () -> atServer.isUp(clientId), () -> atServer.events(clientId));
        assertEquals(0, atServer.frameCount(clientId));
    }

    /** A complete, valid hello from tls-a/gw to tls-b/gw: an accepting node answers with the magic. */
    private static byte[] hello() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        try {
            out.write(MAGIC);
            out.writeByte(1);
            for (String part : new String[] {"tls-a", "gw", "tls-b", "gw"}) {
                out.writeByte(part.length());
                out.writeBytes(part);
            }
            out.writeInt(1 << 20);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }
}
