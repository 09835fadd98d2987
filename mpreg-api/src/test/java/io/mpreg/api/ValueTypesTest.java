package io.mpreg.api;

import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.fault.EquivocationEvidence;
import io.mpreg.api.spi.transport.TransportConfig;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValueTypesTest {

    private static void assertRejected(String expectedFragment, Runnable construct) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct::run);
        assertTrue(e.getMessage().contains(expectedFragment), "message '" + e.getMessage() + "' lacks '"
                + expectedFragment + "'");
    }

    @Test
    void identifiersNameTheBadValue() {
        assertRejected("cluster id 'bad id'", () -> ClusterId.of("bad id"));
        assertRejected("cluster id '-x'", () -> ClusterId.of("-x"));
        assertRejected("must not be null", () -> ClusterId.of(null));
        assertRejected("node id 'nocluster'", () -> NodeId.parse("nocluster"));
        assertEquals(NodeId.of("c1", "n1"), NodeId.parse("c1/n1"));
        assertEquals("c1/n1", NodeId.of("c1", "n1").toString());
        assertTrue(ClusterId.of("a").compareTo(ClusterId.of("b")) < 0);
    }

    @Test
    void messageIdsRoundTripAndAreSeeded() {
        MessageId a = MessageId.random(new SplittableRandom(42));
        MessageId b = MessageId.random(new SplittableRandom(42));
        assertEquals(a, b);
        assertEquals(a, MessageId.parse(a.toString()));
        assertRejected("message id 'zz'", () -> MessageId.parse("zz"));
    }

    @Test
    void messagesAreImmutableAndValidated() {
        byte[] payload = "hello".getBytes(StandardCharsets.UTF_8);
        Message m = Message.builder("orders").payload(payload).header("k", "v").priority(5)
                .delay(Duration.ofMillis(500)).build(new SplittableRandom(1));
        payload[0] = 'X';
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), m.payload());
        m.payload()[0] = 'Y';
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), m.payload());
        assertEquals(Map.of("k", "v"), m.headers());
        assertEquals(m, new Message(m.id(), "orders", "hello".getBytes(StandardCharsets.UTF_8), Map.of("k", "v"), 5,
                Duration.ofMillis(500), null));
        assertRejected("priority must be >= 0, got -1", () -> Message.builder("q").priority(-1).build(new SplittableRandom(1)));
        assertRejected("queue name 'bad queue'", () -> Message.builder("bad queue").build(new SplittableRandom(1)));
        assertRejected("has no id", () -> Message.builder("q").build());
        assertRejected("delay must be zero or positive", () -> Message.builder("q").delay(Duration.ofSeconds(-1))
                .build(new SplittableRandom(1)));
    }

    @Test
    void thresholdsAreExactFractionsInLowestTerms() {
        assertEquals(Threshold.TWO_THIRDS, Threshold.of(4, 6));
        assertEquals(Threshold.TWO_THIRDS, Threshold.parse("2/3"));
        assertEquals(2, Threshold.TWO_THIRDS.requiredWeight(3));
        assertEquals(3, Threshold.TWO_THIRDS.requiredWeight(4));
        assertEquals(6, Threshold.TWO_THIRDS.requiredWeight(8));
        assertEquals(9, Threshold.TWO_THIRDS.requiredWeight(13));
        assertEquals(Long.MAX_VALUE / 3 * 2 + 1, Threshold.TWO_THIRDS.requiredWeight(Long.MAX_VALUE));
        assertTrue(Threshold.TWO_THIRDS.isReachedBy(2, 3));
        assertFalse(Threshold.TWO_THIRDS.isReachedBy(1, 3));
        assertRejected("fraction in (0, 1], got 3/2", () -> Threshold.of(3, 2));
        assertRejected("not of the form n/d", () -> Threshold.parse("0.67"));
    }

    @Test
    void votesKnowRetransmissionFromEquivocation() {
        RoundId round = new RoundId(ClusterId.of("c1"), 1);
        Digest d1 = Digest.sha256(new byte[] {1});
        Digest d2 = Digest.sha256(new byte[] {2});
        Vote yes = new Vote(round, ClusterId.of("B"), Verdict.YES, d1);
        Vote yesAgain = new Vote(round, ClusterId.of("B"), Verdict.YES, d1, "retransmitted");
        Vote no = new Vote(round, ClusterId.of("B"), Verdict.NO, d1);
        Vote otherDigest = new Vote(round, ClusterId.of("B"), Verdict.YES, d2);
        assertFalse(yes.conflictsWith(yesAgain));
        assertTrue(yes.conflictsWith(no));
        assertTrue(yes.conflictsWith(otherDigest));
        assertEquals(ClusterId.of("B"), new EquivocationEvidence(yes, no).accuses());
        assertRejected("do not prove equivocation", () -> new EquivocationEvidence(yes, yesAgain));
        assertRejected("do not prove equivocation", () -> new EquivocationEvidence(yes,
                new Vote(round, ClusterId.of("C"), Verdict.NO, d1)));
        assertEquals(d1, Digest.fromBytes(d1.toBytes()));
        assertNotEquals(d1, d2);
    }

    @Test
    void deliveryOptionsAndResultsValidate() {
        DeliveryOptions o = DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM)
                .withTargets(ClusterId.of("c2"), ClusterId.of("c1"));
        assertEquals(Set.of(ClusterId.of("c1"), ClusterId.of("c2")), o.targets());
        assertEquals(ClusterId.of("c1"), o.targets().iterator().next());
        assertEquals(Threshold.TWO_THIRDS, o.threshold());
        assertEquals(DeliveryOptions.NODE_DEFAULT_TIMEOUT, o.timeout(), "the node decides unless told");
        assertEquals(Duration.ZERO, o.withTimeout(Duration.ZERO).timeout(), "zero asks for the node's default");
        assertRejected("timeout must be positive (or zero for the node's default), got PT-1S",
                () -> o.withTimeout(Duration.ofSeconds(-1)));
        assertRejected("requiredAcks must be >= 1, got 0", () -> o.withRequiredAcks(0));
        assertRejected("byzantine tolerance f must be >= 0, got -1", () -> o.withByzantineTolerance(-1));
        MessageId id = MessageId.random(new SplittableRandom(3));
        assertRejected("abort reason exactly when it failed", () -> new DeliveryResult(id,
                DeliveryGuarantee.GLOBAL_QUORUM, true, new java.util.TreeSet<>(), new java.util.TreeSet<>(),
                new java.util.TreeMap<>(), AbortReason.TIMEOUT));
        DeliveryResult failed = DeliveryResult.failed(id, DeliveryGuarantee.BROADCAST, AbortReason.NO_ROUTE,
                Map.of(ClusterId.of("c3"), "down"));
        assertEquals(AbortReason.NO_ROUTE, failed.abortReasonIfAny().orElseThrow());
    }

    @Test
    void transportConfigValidates() {
        NodeId me = NodeId.of("c1", "n1");
        InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
        TransportConfig c = TransportConfig.defaults(me, loopback);
        assertRejected("maxFrameBytes must be in [1, 1073741824], got 0", () -> c.withMaxFrameBytes(0));
        assertRejected("must exceed heartbeatInterval", () -> c.withFailureDetection(Duration.ofSeconds(1),
                Duration.ofSeconds(1)));
        assertRejected("must not contain the local node", () -> c.withPeers(Map.of(me, loopback)));
        assertRejected("option x=7 is outside [0, 5]", () -> PluginOptions.of("x", "7").longValue("x", 0, 0, 5));
        assertRejected("is not an integer", () -> PluginOptions.of("x", "seven").longValue("x", 0, 0, 5));
        assertEquals(3, PluginOptions.NONE.longValue("x", 3, 0, 5));
    }
}
