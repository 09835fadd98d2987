package io.mpreg.federation.internal.link;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.NodeId;
import io.mpreg.api.VoteKeys;
import io.mpreg.consensus.WeightTable;
import io.mpreg.federation.internal.queue.Advertisements;
import io.mpreg.federation.internal.round.VoteSigning;
import io.mpreg.federation.internal.wire.SignedContent;
import io.mpreg.federation.internal.wire.OriginSeal;
import io.mpreg.federation.internal.wire.WireMessage;
import io.mpreg.federation.queue.QueueType;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Link states and queue advertisements are taken only with their origin's signature (B4): a member that forges
 * another node's gossip, or alters it on the way, changes no routes and no discovery, and is counted.
 */
class SignedGossipTest {
    private static final String FEDERATION = "gossip-test";
    private static final ClusterId C1 = ClusterId.of("c1");
    private static final ClusterId C2 = ClusterId.of("c2");
    private static final ClusterId C3 = ClusterId.of("c3");
    private static final ClusterId C4 = ClusterId.of("c4");
    private static final Map<ClusterId, KeyPair> PAIRS = Map.of(C1, VoteKeys.generate(), C2, VoteKeys.generate(),
            C3, VoteKeys.generate(), C4, VoteKeys.generate());

    private static OriginSeal seal(ClusterId self) {
        Map<ClusterId, PublicKey> keys = new TreeMap<>();
        PAIRS.forEach((c, p) -> keys.put(c, p.getPublic()));
        return VoteSigning.of(FEDERATION, self, PAIRS.get(self).getPrivate(), keys).originSeal();
    }

    private static WireMessage.LinkState signedState(ClusterId by, NodeId origin, long version, ClusterId... links) {
        WireMessage.LinkState content = new WireMessage.LinkState(origin, version, 0, new TreeSet<>(List.of(links)), 1,
                Digest.sha256(), new byte[0]);
        return new WireMessage.LinkState(origin, version, 0, content.neighbours(), 1, Digest.sha256(),
                seal(by).sign(SignedContent.content(content)));
    }

    /** c1's router, linked with c2 and c4, which knows the ring c1-c2-c3-c4-c1 from signed states. */
    private static Router ring(AtomicInteger refused) {
        Router r = new Router(NodeId.of("c1", "gw"), 1_000, () -> WeightTable.of(1, Map.of()), 0, seal(C1),
                refused::incrementAndGet);
        r.linkUp(C2, NodeId.of("c2", "gw"));
        r.linkUp(C4, NodeId.of("c4", "gw"));
        assertTrue(r.accept(signedState(C2, NodeId.of("c2", "gw"), 1, C1, C3), 0));
        assertTrue(r.accept(signedState(C3, NodeId.of("c3", "gw"), 1, C2, C4), 0));
        assertTrue(r.accept(signedState(C4, NodeId.of("c4", "gw"), 1, C3, C1), 0));
        return r;
    }

    @Test
    void aLinkStateTheOriginDidNotSignChangesNoRoute() {
        AtomicInteger refused = new AtomicInteger();
        Router r = ring(refused);
        assertEquals(List.of(C2, C4), r.nextHops(C3, List.of(C1)));
        NodeId c3 = NodeId.of("c3", "gw");
        // c2 (a member with valid keys) says, in c3's name, that c3 lost its link with c4: signed by c2, not c3
        assertFalse(r.accept(signedState(C2, c3, 2, C2), 10));
        // ... or keeps c3's real signature on other content
        WireMessage.LinkState real = signedState(C3, c3, 2, C2, C4);
        assertFalse(r.accept(new WireMessage.LinkState(c3, 2, 0, new TreeSet<>(List.of(C2)), 1, Digest.sha256(),
                real.signature()), 10));
        // ... or under the version already known, with a refresh number that would win
        assertFalse(r.accept(new WireMessage.LinkState(c3, 1, 99, new TreeSet<>(List.of(C2)), 1, Digest.sha256(),
                real.signature()), 10));
        assertEquals(3, refused.get());
        assertEquals(List.of(C2, C4), r.nextHops(C3, List.of(C1)), "routes as c3 itself stated them");
        assertTrue(r.accept(real, 10), "c3's own signed state is taken");
        assertEquals(0, refused.get() - 3);
    }

    @Test
    void straightFromItsOriginTheLinkIsTheProof() {
        AtomicInteger refused = new AtomicInteger();
        Router r = ring(refused);
        NodeId c2 = NodeId.of("c2", "gw");
        WireMessage.LinkState unsigned = new WireMessage.LinkState(c2, 2, 0, new TreeSet<>(List.of(C1)), 1,
                Digest.sha256(), new byte[0]);
        assertFalse(r.accept(unsigned, 5), "relayed, an unsigned state is refused");
        assertEquals(1, refused.get());
        assertTrue(r.accept(unsigned, 5, true), "from c2's own node, the link's certificate proves it");
        assertEquals(List.of(C4), r.nextHops(C3, List.of(C1)), "c2 no longer reaches c3");
    }

    @Test
    void refreshesNeedNoSignatureButCannotChangeContent() {
        AtomicInteger refused = new AtomicInteger();
        Router r = ring(refused);
        WireMessage.LinkState c3 = signedState(C3, NodeId.of("c3", "gw"), 1, C2, C4);
        assertTrue(r.accept(c3.refreshed(5), 10), "a refresh of known content is news, to be flooded on");
        assertFalse(r.accept(c3.refreshed(5), 11), "the same refresh again is not");
        assertFalse(r.accept(c3.refreshed(4), 11), "nor an older one");
        assertEquals(0, refused.get());
        assertTrue(r.accept(signedState(C2, NodeId.of("c2", "gw"), 1, C1, C3).refreshed(1), 10));
        assertTrue(r.accept(signedState(C4, NodeId.of("c4", "gw"), 1, C3, C1).refreshed(1), 10));
        r.expire(1_005); // all refreshed at 10 or 11: still known
        assertEquals(List.of(C2, C4), r.nextHops(C3, List.of(C1)));
    }

    @Test
    void answersSealedTogetherEachProveTheirOriginAlone() {
        List<byte[]> contents = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            WireMessage.Ack ack = new WireMessage.Ack(new io.mpreg.api.MessageId(7, i), C3, C1, List.of(C3));
            contents.add(SignedContent.content(ack));
        }
        contents.add(SignedContent.content(new WireMessage.Nack(new io.mpreg.api.MessageId(7, 9), C3, C1, "full",
                List.of(C3))));
        List<byte[]> seals = seal(C3).signAll(contents);
        OriginSeal checker = seal(C1);
        java.util.Set<String> signatures = new java.util.HashSet<>();
        for (int i = 0; i < contents.size(); i++) {
            assertTrue(checker.verify(C3, contents.get(i), seals.get(i)), "answer " + i);
            assertFalse(checker.verify(C2, contents.get(i), seals.get(i)), "in another cluster's name");
            assertFalse(checker.verify(C3, contents.get((i + 1) % contents.size()), seals.get(i)),
                    "another answer of the batch");
            signatures.add(java.util.HexFormat.of().formatHex(io.mpreg.api.MerkleSeal.signatureOf(seals.get(i))));
        }
        assertEquals(1, signatures.size(), "one signature for the batch");
        byte[] bent = seals.get(2).clone();
        bent[bent.length - 5] ^= 1;
        assertFalse(checker.verify(C3, contents.get(2), bent), "a path bent by a relay");
        byte[] malformed = java.util.Arrays.copyOf(seals.get(2), seals.get(2).length - 1);
        assertFalse(checker.verify(C3, contents.get(2), malformed), "a malformed seal");
        assertTrue(checker.verify(C3, contents.get(0), seal(C3).signAll(contents.subList(0, 1)).get(0)),
                "a lone answer: a plain signature");
    }

    @Test
    void ownStateIsSignedOncePerChange() {
        AtomicInteger signatures = new AtomicInteger();
        OriginSeal counting = new OriginSeal() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public byte[] sign(byte[] content) {
                signatures.incrementAndGet();
                return seal(C1).sign(content);
            }

            @Override
            public List<byte[]> signAll(List<byte[]> contents) {
                signatures.incrementAndGet();
                return seal(C1).signAll(contents);
            }

            @Override
            public boolean verify(ClusterId origin, byte[] content, byte[] signature) {
                return seal(C1).verify(origin, content, signature);
            }
        };
        Router r = new Router(NodeId.of("c1", "gw"), 1_000, () -> WeightTable.of(1, Map.of()), 7_000, counting,
                () -> {
                });
        WireMessage.LinkState first = r.linkUp(C2, NodeId.of("c2", "gw"));
        WireMessage.LinkState again = r.ownState();
        assertEquals(1, signatures.get(), "a refresh signs nothing");
        assertEquals(first.version(), again.version());
        assertTrue(again.sequence() > first.sequence());
        assertArrayEquals(first.signature(), again.signature());
        assertTrue(first.version() > 7_000, "numbered above the first version given (a restart's are newer)");
        WireMessage.LinkState changed = r.linkUp(C3, NodeId.of("c3", "gw"));
        assertEquals(2, signatures.get());
        assertTrue(changed.version() > first.version());
        Router other = new Router(NodeId.of("c2", "gw"), 1_000, () -> WeightTable.of(1, Map.of()), 0, seal(C2),
                () -> {
                    throw new AssertionError("refused c1's own state");
                });
        assertTrue(other.accept(changed, 0), "what c1 signed, c2 takes");
    }

    private static WireMessage.QueueAds signedAds(ClusterId by, NodeId origin, long version, String... queues) {
        List<WireMessage.QueueAd> ads = new java.util.ArrayList<>();
        for (String q : queues) {
            ads.add(new WireMessage.QueueAd(q, QueueType.FIFO));
        }
        WireMessage.QueueAds content = new WireMessage.QueueAds(origin, version, 0, 10_000, ads, new byte[0]);
        return new WireMessage.QueueAds(origin, version, 0, 10_000, ads, seal(by).sign(SignedContent.content(content)));
    }

    @Test
    void aQueueAdvertisementTheOriginDidNotSignIsRefused() {
        AtomicInteger refused = new AtomicInteger();
        Advertisements ads = new Advertisements(NodeId.of("c1", "gw"), seal(C1), refused::incrementAndGet);
        NodeId c3 = NodeId.of("c3", "gw");
        assertTrue(ads.accept(signedAds(C3, c3, 1, "orders"), 0, false));
        // c2 withdraws c3's queue, and claims one on c3, in c3's name
        assertFalse(ads.accept(signedAds(C2, c3, 2), 1, false));
        assertFalse(ads.accept(signedAds(C2, c3, 3, "orders", "payments"), 1, false));
        WireMessage.QueueAds real = signedAds(C3, c3, 1, "orders");
        assertFalse(ads.accept(new WireMessage.QueueAds(c3, 1, 9, 10_000, List.of(), real.signature()), 1, false),
                "a refresh that changes the content");
        assertEquals(3, refused.get());
        List<String> seen = new java.util.ArrayList<>();
        ads.matching(io.mpreg.federation.queue.QueuePattern.of("*"), 2, i -> seen.add(i.cluster() + "/" + i.name()));
        assertEquals(List.of("c3/orders"), seen);
        assertTrue(ads.accept(real.refreshed(9), 2, false), "a true refresh is taken");
        assertTrue(ads.accept(signedAds(C3, c3, 2), 3, false), "and c3's own withdrawal");
        seen.clear();
        ads.matching(io.mpreg.federation.queue.QueuePattern.of("*"), 4, i -> seen.add(i.cluster() + "/" + i.name()));
        assertEquals(List.of(), seen);
    }
}
