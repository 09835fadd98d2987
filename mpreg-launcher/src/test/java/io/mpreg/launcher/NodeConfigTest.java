package io.mpreg.launcher;

import io.mpreg.api.ClusterId;
import io.mpreg.api.NodeId;
import io.mpreg.federation.queue.QueueConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mpreg node}'s configuration file: every key, the defaults, and one precise line per problem. */
class NodeConfigTest {
    @TempDir
    Path dir;

    private NodeConfig load(String text) throws Exception {
        Path f = dir.resolve("node.properties");
        Files.writeString(f, text);
        return NodeConfig.load(f);
    }

    private String problems(String text) throws Exception {
        Path f = dir.resolve("node.properties");
        Files.writeString(f, text);
        return assertThrows(NodeConfig.ConfigException.class, () -> NodeConfig.load(f)).getMessage()
                .replace(f.toString(), "F");
    }

    private String keys() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (String c : List.of("c1", "c2", "c3")) {
            java.security.KeyPair pair = io.mpreg.api.VoteKeys.generate();
            Files.writeString(dir.resolve(c + ".pub"), io.mpreg.api.VoteKeys.pem(pair.getPublic()));
            Files.writeString(dir.resolve(c + ".key"), io.mpreg.api.VoteKeys.pem(pair.getPrivate()));
            lines.append("vote.publicKey.").append(c).append(" = ").append(dir.resolve(c + ".pub")).append('\n');
        }
        return lines.append("vote.privateKey = ").append(dir.resolve("c1.key")).append('\n').toString();
    }

    @Test
    void theDataDirectoryDefaultsToOneNamedAfterTheNodeAndMemoryKeepsNothing() throws Exception {
        String base = "federation = f\ncluster = c7\nnode = east\nlisten = 127.0.0.1:7101\ninsecure = true\n";
        assertEquals(Path.of("data", "c7-east"), load(base).dataDir());
        assertEquals(Path.of("/var/lib/mpreg/c7"), load(base + "data.dir = /var/lib/mpreg/c7\n").dataDir());
        assertEquals(null, load(base + "data.dir = memory\n").dataDir());
    }

    @Test
    void aFullConfigurationIsReadIntoItsParts() throws Exception {
        NodeConfig c = load(keys() + """
                federation = local
                cluster = c1
                node = a
                listen = 127.0.0.1:7101
                peers = c2/gw@127.0.0.1:7102, c3/b@localhost:7103
                transport = jgroups
                weights = c1:2, c2:1, c3:1
                weights.version = 4
                gossipInterval = 500ms
                defaultTimeout = PT10S
                http.port = 0
                consume = ord*
                queue.orders = fifo
                queue.orders.capacity = 10
                queue.orders.visibilityTimeout = 2s
                queue.orders.maxReceives = 3
                queue.orders.deadLetterQueue = failed
                queue.orders.dedupWindow = 1m
                queue.orders.defaultDelay = 100ms
                queue.orders.messageTtl = 1h
                queue.alerts.dlq = priority
                tls = true
                tls.keyStore = c1.p12
                jgroups.cluster = fed
                evidence.dir = proofs
                """);
        assertEquals("local", c.federation());
        assertEquals(NodeId.of("c1", "a"), c.node());
        assertEquals(new InetSocketAddress("127.0.0.1", 7101), c.listen());
        assertEquals(Map.of(NodeId.of("c2", "gw"), new InetSocketAddress("127.0.0.1", 7102),
                NodeId.of("c3", "b"), new InetSocketAddress("localhost", 7103)), c.peers());
        assertEquals("jgroups", c.transport());
        assertEquals(Map.of(ClusterId.of("c1"), 2L, ClusterId.of("c2"), 1L, ClusterId.of("c3"), 1L), c.weights());
        assertEquals(4, c.weightsVersion());
        assertEquals(Duration.ofMillis(500), c.gossipInterval());
        assertEquals(Duration.ofSeconds(10), c.defaultTimeout());
        assertEquals(new InetSocketAddress("127.0.0.1", 0), c.httpAddress());
        assertEquals("ord*", c.consume());
        assertEquals(List.of(QueueConfig.priority("alerts.dlq"), QueueConfig.fifo("orders").withCapacity(10)
                .withVisibilityTimeout(Duration.ofSeconds(2)).withMaxReceives(3).withDeadLetterQueue("failed")
                .withDedupWindow(Duration.ofMinutes(1)).withDefaultDelay(Duration.ofMillis(100))
                .withMessageTtl(Duration.ofHours(1))), c.queues());
        assertEquals(Map.of("tls", "true", "tls.keyStore", "c1.p12", "jgroups.cluster", "fed"), c.transportOptions());
        assertFalse(c.insecure());
        assertEquals(dir.resolve("c1.key"), c.votePrivateKey());
        assertEquals(Map.of(ClusterId.of("c1"), dir.resolve("c1.pub"), ClusterId.of("c2"), dir.resolve("c2.pub"),
                ClusterId.of("c3"), dir.resolve("c3.pub")), c.votePublicKeys());
        assertEquals(Path.of("proofs"), c.evidenceDir());
    }

    @Test
    void withoutTlsOrVoteKeysANodeMustSayItIsInsecure() throws Exception {
        assertEquals("""
                F: 'tls' federation links need TLS (tls = true with tls.keyStore, tls.trustStore and their passwords) \
                unless insecure = true is said explicitly
                F: 'vote.privateKey' votes must be signed: give this cluster's Ed25519 key (mpreg keys makes one) \
                unless insecure = true is said explicitly""", problems("federation=f\ncluster=c1\nlisten=127.0.0.1:1\n"));
        Files.writeString(dir.resolve("c1.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        String bad = problems("federation=f\ncluster=c1\nlisten=127.0.0.1:1\npeers=c2/gw@127.0.0.1:2\ninsecure=yes\n"
                + "vote.privateKey=" + dir.resolve("c1.key") + "\nvote.publicKey.c1=" + dir.resolve("none.pub") + "\n");
        assertTrue(bad.contains("F: 'insecure' must be true or false, got 'yes'"), bad);
        assertTrue(bad.contains("F: 'vote.privateKey' not an Ed25519 private key"), bad);
        assertTrue(bad.contains("F: 'vote.publicKey.c1' cannot read key file " + dir.resolve("none.pub")), bad);
        NodeConfig insecure = load("federation=f\ncluster=c1\nlisten=127.0.0.1:1\ninsecure=true\n");
        assertTrue(insecure.insecure());
        assertNull(insecure.votePrivateKey());
    }

    @Test
    void theDefaultsAreEqualWeightsForEveryoneListedAndNoExtras() throws Exception {
        NodeConfig c = load("federation=f\ncluster=c1\nlisten=127.0.0.1:1\npeers=c2/gw@127.0.0.1:2\ninsecure=true\n");
        assertEquals(NodeId.of("c1", "gw"), c.node());
        assertEquals(Map.of(ClusterId.of("c1"), 1L, ClusterId.of("c2"), 1L), c.weights());
        assertEquals(1, c.weightsVersion());
        assertEquals(Duration.ofSeconds(1), c.gossipInterval());
        assertNull(c.transport());
        assertNull(c.defaultTimeout());
        assertNull(c.httpAddress());
        assertNull(c.consume());
        assertEquals(List.of(), c.queues());
        NodeConfig alone = load("federation=f\ncluster=solo\nlisten=127.0.0.1:1\ninsecure=true\n");
        assertEquals(Map.of(), alone.peers(), "a federation of one");
    }

    @Test
    void everyProblemIsNamedWithItsKeyInOneGo() throws Exception {
        assertEquals("F: 'weights' has no weight for this node's cluster c1",
                problems("federation=f\ncluster=c1\nlisten=127.0.0.1:1\nweights=c2:1\ninsecure=true\n"));
        assertEquals("""
                F: 'federation' is required
                F: 'cluster' is required
                F: 'listen' is required""", problems("insecure = true\n"));
        assertEquals("""
                F: 'listen' '7101' is not host:port
                F: 'peers' 'c1/gw@127.0.0.1:7101' is in this node's own cluster c1
                F: 'peers' 'c2' is not cluster/node@host:port
                F: 'weights' 'c2' is not cluster:weight
                F: 'weights.version' must be >= 1, got 0
                F: 'gossipInterval' 'soon' is not a duration (500ms, 2s, 5m, 1h or PT2S)
                F: 'http.port' port must be in [0, 65535], got 70000
                F: 'consume' queue pattern 'a b' has ' ' at 1: use [A-Za-z0-9._:/-] and the wildcards * and ?
                F: 'queue.q.capacity' queue 'q': capacity must be >= 1, got 0
                F: 'queue.q.maxReceives' is not a number: For input string: "many"
                F: 'gossip' unknown key (known: [cluster, consume, consume.scope, data.dir, defaultTimeout, evidence.dir, federation, \
                gossipInterval, http.address, http.port, insecure, listen, node, peers, transport, vote.privateKey, \
                weights, weights.version], queue.NAME[.ATTRIBUTE], vote.publicKey.CLUSTER, tls, tls.*, tcp.*, \
                jgroups.*, and TRANSPORT.* for the plugin named by transport)""", problems("""
                insecure = true
                federation = f
                cluster = c1
                listen = 7101
                peers = c1/gw@127.0.0.1:7101, c2
                weights = c2
                weights.version = 0
                gossipInterval = soon
                gossip = 1s
                http.port = 70000
                consume = a b
                queue.q = fifo
                queue.q.capacity = 0
                queue.q.maxReceives = many
                """));
    }

    @Test
    void durationsReadShortFormsAndIso() {
        assertEquals(Duration.ofMillis(250), NodeConfigParser.duration("250ms"));
        assertEquals(Duration.ofSeconds(3), NodeConfigParser.duration(" 3s "));
        assertEquals(Duration.ofMinutes(5), NodeConfigParser.duration("5m"));
        assertEquals(Duration.ofHours(2), NodeConfigParser.duration("2h"));
        assertEquals(Duration.ofMillis(1500), NodeConfigParser.duration("PT1.5S"));
        assertThrows(IllegalArgumentException.class, () -> NodeConfigParser.duration("-PT1S"));
        assertThrows(IllegalArgumentException.class, () -> NodeConfigParser.duration("1d"));
    }

    @Test
    void theExampleConfigurationsAreValid() throws Exception {
        Path config = Path.of(System.getProperty("user.dir")).getParent().resolve("config");
        for (String name : List.of("c1", "c2", "c3")) {
            NodeConfig c = NodeConfig.load(config.resolve(name + ".properties"));
            assertEquals(ClusterId.of(name), c.node().cluster());
            assertEquals(2, c.peers().size());
        }
    }

    @Test
    void consumeTakesAScopeAndAPluginGetsTheKeysNamedAfterIt() throws Exception {
        String base = """
                federation = f
                cluster = c1
                listen = 127.0.0.1:7101
                insecure = true
                """;
        NodeConfig federationWide = load(base + "consume = ord*\n");
        assertEquals(false, federationWide.consumeLocal());
        NodeConfig local = load(base + "consume = ord*\nconsume.scope = local\n");
        assertEquals(true, local.consumeLocal());
        assertEquals("F: 'consume.scope' must be federation (every matching queue in the federation) or local (this "
                + "cluster's queues only), got 'here'", problems(base + "consume = o*\nconsume.scope = here\n"));
        assertEquals("F: 'consume.scope' is set but consume is not", problems(base + "consume.scope = local\n"));

        NodeConfig quic = load(base + "transport = quic\nquic.streams = 8\nquic.congestion = bbr\n");
        assertEquals(java.util.Map.of("quic.streams", "8", "quic.congestion", "bbr"), quic.transportOptions());
        assertTrue(problems(base + "quic.streams = 8\n").startsWith("F: 'quic.streams' unknown key"),
                "without transport = quic the key belongs to no plugin");
    }
}
