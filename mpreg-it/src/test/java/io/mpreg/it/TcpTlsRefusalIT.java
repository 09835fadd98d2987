package io.mpreg.it;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.transport.PeerState;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportProvider;
import io.mpreg.federation.ProviderRegistry;
import io.mpreg.it.tck.LoopbackPorts;
import io.mpreg.it.tck.RecordingReceiver;
import io.mpreg.it.tck.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    private static PluginOptions rogue;
    private static PluginOptions plaintext;
    private static Path trustStore;
    private static Path intruderStore;

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
        member = TcpTls.options(federation.issue("member"), trustStore);
        intruderStore = rogueCa.issue("intruder");
        rogue = TcpTls.options(intruderStore, trustStore); // trusts us, but we do not trust it
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
        start(serverId, serverAddress, clientId, clientAddress, member, atServer);
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
        assertRefused(rogue, client(intruderStore));
    }

    @Test
    void aPlaintextPeerIsRefused() {
        assertRefused(plaintext, null);
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        assertRefused(rogue, client(null));
    }

    /**
     * The offender, a real transport with {@code offenderOptions}, dials the TLS node in its reconnect loop while a
     * raw client with the same kind of credentials ({@code raw}; null: plaintext) is refused three times, seen
     * directly. Neither side ever reports the other up and the node's application gets nothing. A genuine member
     * with the offender's identity and address then links: the refusals were about the certificates.
     */
    private void assertRefused(PluginOptions offenderOptions, SSLContext raw) {
        RecordingReceiver atServer = new RecordingReceiver();
        RecordingReceiver atOffender = new RecordingReceiver();
        Transport server = start(serverId, serverAddress, clientId, clientAddress, member, atServer);
        Transport offender = start(clientId, clientAddress, serverId, serverAddress, offenderOptions, atOffender);
        for (int i = 0; i < 3; i++) {
            assertThrows(IOException.class, () -> attempt(serverAddress, raw), "raw attempt " + i + " refused");
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

    /** Connects (over TLS with {@code tls}, or in plaintext), sends a valid hello and reads; throws if refused. */
    private static void attempt(InetSocketAddress address, SSLContext tls) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(address, 5_000);
            plain.setSoTimeout(5_000);
            Socket socket = plain;
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, address.getHostString(),
                        address.getPort(), true);
                ssl.startHandshake();
                socket = ssl;
            }
            byte[] magic = {0x4D, 0x50, 0x52, 0x54};
            // a complete, valid hello from tls-a/gw to tls-b/gw: an accepting node would answer with its magic
            java.io.DataOutputStream out = new java.io.DataOutputStream(socket.getOutputStream());
            out.write(magic);
            out.writeByte(1);
            for (String part : new String[] {"tls-a", "gw", "tls-b", "gw"}) {
                out.writeByte(part.length());
                out.writeBytes(part);
            }
            out.writeInt(1 << 20);
            out.flush();
            byte[] answer = socket.getInputStream().readNBytes(4); // a TLS alert, or nothing, is a refusal
            if (!java.util.Arrays.equals(magic, answer)) {
                throw new IOException("refused by the node; it answered " + java.util.HexFormat.of().formatHex(answer));
            }
        }
    }

    /** A TLS 1.3 client context trusting the federation, presenting {@code keyStore}'s certificate (or none). */
    private static SSLContext client(Path keyStore) throws Exception {
        KeyStore trust = load(trustStore);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (keyStore != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keyStore), TestPki.PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, TestPki.PASSWORD.toCharArray());
        }
        return store;
    }
}
