package io.mpreg.it;

import io.mpreg.tck.TlsOptions;
import io.mpreg.tck.Await;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.NodeId;
import io.mpreg.api.VoteKeys;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.FederationNodeBuilder;
import io.mpreg.federation.FederationStatistics;
import io.mpreg.federation.ProviderRegistry;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.SubscribeOptions;
import io.mpreg.tck.LoopbackPorts;
import io.mpreg.tck.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A rogue on loopback without federation credentials against a secure federation (mutual TLS with certificates bound
 * to clusters, signed votes): 1,000 randomized connections, each one of plaintext, TLS without a certificate, TLS
 * with a rogue authority's certificate that names a real cluster, or raw garbage, carrying forged hellos (claiming
 * member clusters, unknown ones and the node itself) and frames captured from the federation's own traffic (replayed
 * PREPAREs, VOTEs, DECISIONs, deliveries, gossip). None is welcomed, nothing reaches an application, no link or
 * membership changes, no fault is charged to an honest cluster, and the federation still works afterwards.
 */
class RoguePeerIT {
    private static final int ATTEMPTS = 1000;
    private static final byte[] WELCOME = {0x4D, 0x50, 0x52, 0x54, 1, 0};
    private static final ClusterId[] CLUSTERS = {ClusterId.of("c1"), ClusterId.of("c2"), ClusterId.of("c3")};

    @TempDir
    static Path dir;

    @Test
    void aThousandRogueConnectionsChangeNothing() throws Exception {
        TestPki pki = TestPki.create(dir, "federation");
        TestPki rogueCa = TestPki.create(dir, "rogue");
        Path rogueStore = rogueCa.issue("c2"); // names a real cluster, from the wrong authority
        GatedTransports tcp = new GatedTransports(ProviderRegistry.transports().select("tcp"));
        Map<NodeId, InetSocketAddress> gateways = new TreeMap<>();
        Map<ClusterId, KeyPair> keys = new TreeMap<>();
        Map<ClusterId, PublicKey> publicKeys = new TreeMap<>();
        Map<ClusterId, Long> weights = new TreeMap<>();
        for (ClusterId c : CLUSTERS) {
            gateways.put(new NodeId(c, "gw"), LoopbackPorts.next());
            keys.put(c, VoteKeys.generate());
            publicKeys.put(c, keys.get(c).getPublic());
            weights.put(c, 1L);
        }
        List<FederationNode> nodes = new ArrayList<>();
        List<List<Delivery>> got = new ArrayList<>();
        try {
            for (Map.Entry<NodeId, InetSocketAddress> e : gateways.entrySet()) {
                ClusterId c = e.getKey().cluster();
                FederationNodeBuilder b = FederationNode.builder().federation("it-rogue").node(e.getKey())
                        .listen(e.getValue()).transport(tcp).weights(1, weights)
                        .transportOptions(TlsOptions.options(pki.issue(c.value()), pki.trustStore()))
                        .voteKeys(keys.get(c).getPrivate(), publicKeys).gossipInterval(Duration.ofMillis(200));
                gateways.forEach((peer, address) -> {
                    if (!peer.equals(e.getKey())) {
                        b.peer(peer, address);
                    }
                });
                FederationNode node = b.build().start();
                nodes.add(node);
                List<Delivery> mine = new CopyOnWriteArrayList<>();
                node.createQueue(QueueConfig.fifo("orders"));
                node.subscribe("orders", SubscribeOptions.automaticAcks().withLocalOnly(true), mine::add);
                got.add(mine);
            }
            for (FederationNode n : nodes) {
                Await.until(PATIENCE, n.id() + " reaches every cluster over its own links",
                        () -> n.reachableClusters().size() == CLUSTERS.length && allUp(n.statistics()),
                        () -> n.statistics().links());
            }
            // honest traffic, so there is something to capture and replay
            SplittableRandom random = new SplittableRandom(11);
            for (DeliveryGuarantee g : List.of(DeliveryGuarantee.GLOBAL_QUORUM, DeliveryGuarantee.AT_LEAST_ONCE)) {
                DeliveryResult r = nodes.get(0).send(Message.builder("orders").payload(new byte[] {1}).build(random),
                        DeliveryOptions.of(g).withTargets(CLUSTERS).withThreshold(io.mpreg.api.Threshold.ALL))
                        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS); // every cluster in the certificate: all deliver
                assertTrue(r.success(), r.toString());
            }
            for (List<Delivery> mine : got) {
                Await.until(PATIENCE, "each cluster got both", () -> mine.size() == 2, mine::toString);
            }
            List<byte[]> captured = tcp.captured();
            assertTrue(captured.size() > 10, "frames captured: " + captured.size());
            List<FederationStatistics> before = nodes.stream().map(FederationNode::statistics).toList();

            AtomicInteger welcomed = new AtomicInteger();
            AtomicInteger answered = new AtomicInteger();
            ExecutorService rogues = Executors.newFixedThreadPool(8);
            try {
                SSLContext noCertificate = TlsProbe.client(null, pki.trustStore());
                SSLContext rogueCertificate = TlsProbe.client(rogueStore, pki.trustStore());
                List<Future<?>> runs = new ArrayList<>();
                List<InetSocketAddress> targets = new ArrayList<>(gateways.values());
                for (int i = 0; i < ATTEMPTS; i++) {
                    SplittableRandom r = new SplittableRandom(1000 + i);
                    runs.add(rogues.submit(() -> {
                        byte[] answer = attack(r, targets.get(r.nextInt(targets.size())), captured,
                                noCertificate, rogueCertificate);
                        if (answer.length > 0) {
                            answered.incrementAndGet();
                        }
                        if (answer.length >= WELCOME.length
                                && Arrays.equals(Arrays.copyOf(answer, WELCOME.length), WELCOME)) {
                            welcomed.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : runs) {
                    f.get(2, TimeUnit.MINUTES);
                }
            } finally {
                rogues.shutdownNow();
            }
            assertEquals(0, welcomed.get(), "no rogue connection was welcomed");
            for (int i = 0; i < nodes.size(); i++) {
                FederationNode n = nodes.get(i);
                FederationStatistics now = n.statistics();
                assertEquals(2, got.get(i).size(), "nothing reached " + n.id() + "'s application");
                assertEquals(before.get(i).messagesDelivered(), now.messagesDelivered(), n.id() + " stored nothing");
                assertEquals(0, now.framesUndecodable(), n.id() + ": no rogue frame got as far as the decoder");
                assertEquals(0, now.votesRejected(), n.id() + ": no rogue vote got as far as the tally");
                assertEquals(Map.of(), now.faultsBySuspect(), n.id() + ": no honest cluster charged");
                assertEquals(before.get(i).links(), now.links(), n.id() + ": the same links, all up");
                assertTrue(allUp(now), n.id() + ": " + now.links());
                assertEquals(CLUSTERS.length, n.reachableClusters().size(), n.id() + ": membership unchanged");
            }
            // and the federation still works
            DeliveryResult after = nodes.get(1).send(Message.builder("orders").payload(new byte[] {2}).build(random),
                    DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM).withTargets(CLUSTERS))
                    .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertTrue(after.success(), after.toString());
        } finally {
            nodes.forEach(FederationNode::close);
        }
    }

    private static boolean allUp(FederationStatistics s) {
        return s.links().size() == CLUSTERS.length - 1
                && s.links().values().stream().allMatch(l -> l == io.mpreg.federation.LinkStatus.UP);
    }

    /** One rogue connection; returns what the node answered (empty if it refused or closed at once). */
    private static byte[] attack(SplittableRandom r, InetSocketAddress target, List<byte[]> captured,
                                 SSLContext noCertificate, SSLContext rogueCertificate) {
        int kind = r.nextInt(4);
        byte[] payload = kind == 3 ? garbage(r) : forgedSession(r, captured);
        try (Socket plain = new Socket()) {
            plain.connect(target, 5_000);
            plain.setSoTimeout(2_000);
            Socket socket = plain;
            if (kind == 1 || kind == 2) {
                SSLSocket ssl = (SSLSocket) (kind == 1 ? noCertificate : rogueCertificate).getSocketFactory()
                        .createSocket(plain, target.getHostString(), target.getPort(), true);
                ssl.startHandshake(); // the node needs a certificate from its authority: this fails
                socket = ssl;
            }
            socket.getOutputStream().write(payload);
            socket.getOutputStream().flush();
            return readSome(socket.getInputStream());
        } catch (IOException refused) {
            return new byte[0]; // the handshake failed, or the node closed or reset the connection
        }
    }

    private static byte[] readSome(InputStream in) throws IOException {
        byte[] buffer = new byte[64];
        int n = in.read(buffer);
        return n <= 0 ? new byte[0] : Arrays.copyOf(buffer, n);
    }

    private static byte[] garbage(SplittableRandom r) {
        byte[] b = new byte[1 + r.nextInt(2048)];
        r.nextBytes(b);
        return b;
    }

    /** A tcp-plugin hello from a forged identity, then captured federation frames in the plugin's data framing. */
    private static byte[] forgedSession(SplittableRandom r, List<byte[]> captured) {
        String[] who = {"c1", "c2", "c3", "c9", "rogue"};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x4D505254);
            out.writeByte(1);
            node(out, who[r.nextInt(who.length)], "gw");
            node(out, "c" + (1 + r.nextInt(3)), "gw");
            out.writeInt(1 << 20);
            int frames = 1 + r.nextInt(5);
            for (int i = 0; i < frames; i++) {
                byte[] frame = captured.get(r.nextInt(captured.size()));
                out.writeByte(1); // DATA
                out.writeInt(frame.length);
                out.write(frame);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static void node(DataOutputStream out, String cluster, String name) throws IOException {
        for (String part : new String[] {cluster, name}) {
            byte[] b = part.getBytes(StandardCharsets.US_ASCII);
            out.writeByte(b.length);
            out.write(b);
        }
    }
}
