package io.mpreg.it;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.SignedVote;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.internal.wire.WireCodec;
import io.mpreg.federation.internal.wire.WireMessage;
import io.mpreg.federation.queue.QueueInfo;
import io.mpreg.federation.queue.QueueType;
import io.mpreg.tck.Await;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCENARIOS B4 live: c1 reaches c3 only through c2 (c4 is linked with c1 alone, c3 with c2 alone). c4, a member with valid
 * credentials, lies to c1 on its own link: it says it is linked with c3, it withdraws c2's link with c3 and c3's queue
 * in their names (keeping their genuine signatures on the altered content), and it claims a queue on c2. c1 takes
 * none of it: its route to c3 stays through c2, its discovery shows what c2 and c3 state, the three forged frames
 * are refused and counted, and a message to c3 still arrives. It also answers, in c3's name, for messages c3 has
 * not received; c1 takes c3's answers only with c3's signature, as they come through c2.
 */
class ForgedGossipIT {
    private final SplittableRandom random = new SplittableRandom(4);
    /** The unvoted sends of these tests: c1 to c3, through c2. */
    private static final DeliveryOptions TO_C3 = DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)
            .withTargets(ClusterId.of("c3"));


    private static ClusterId c(int i) {
        return ClusterId.of("c" + i);
    }

    /** The federation of these tests: c1 linked with c2 and c4, c2 with c1 and c3; c4 is the liar. */
    private static LiveFederation started(String transport) {
        LiveFederation f = new LiveFederation(transport, 4);
        f.gate.cut(f.id(1), f.id(3));
        f.gate.cut(f.id(4), f.id(3));
        f.gate.cut(f.id(4), f.id(2));
        f.start().awaitFullyConnected();
        Await.until(PATIENCE, "c1 routes to c3 through c2 alone", () -> List.of(c(2)).equals(
                f.node(1).routes().get(c(3))), () -> f.node(1).routes());
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void forgedLinkStatesAndAdvertisementsChangeNoRouteAndNoDiscovery(String transport) throws Exception {
        try (LiveFederation f = started(transport)) {
            List<Delivery> at3 = f.subscribe(3, "orders");
            Await.until(PATIENCE, "c1 knows the queue on c3", () -> f.node(1).discoverQueues("orders").size() == 1);
            f.gate.record(f.id(2), f.id(1));
            WireMessage.LinkState c2Links = WireTap.awaitLast(f, 2, 1, WireMessage.LinkState.class,
                    s -> s.origin().equals(f.id(2)) && s.neighbours().contains(c(3)));
            WireMessage.QueueAds c3Queues = WireTap.awaitLast(f, 2, 1, WireMessage.QueueAds.class,
                    a -> a.origin().equals(f.id(3)) && !a.queues().isEmpty());
            assertEquals(SignedVote.SIGNATURE_BYTES, c2Links.signature().length, "gossip is signed");

            // c4's own state, straight from c4, claiming links with c2 and c3 it does not have: neither confirms them
            WireTap.forge(f, 4, 1, new WireMessage.LinkState(f.id(4), Long.MAX_VALUE / 2, 0, new TreeSet<>(List.of(c(1),
                    c(2), c(3))), c2Links.tableVersion(), c2Links.tableHash(), new byte[0]));
            // c2's state without its link with c3, under c2's genuine signature of its real state
            WireTap.forge(f, 4, 1, new WireMessage.LinkState(f.id(2), c2Links.version() + 1_000, 0,
                    new TreeSet<>(List.of(c(1), c(4))), c2Links.tableVersion(), c2Links.tableHash(),
                    c2Links.signature()));
            // c3's advertisement without its queue, under c3's genuine signature
            WireTap.forge(f, 4, 1, new WireMessage.QueueAds(f.id(3), c3Queues.version() + 1_000, 0, c3Queues.ttlMillis(),
                    List.of(), c3Queues.signature()));
            // a queue on c2 that c2 never created
            byte[] garbage = new byte[SignedVote.SIGNATURE_BYTES];
            random.nextBytes(garbage);
            WireTap.forge(f, 4, 1, new WireMessage.QueueAds(f.id(2), Long.MAX_VALUE / 2, 0, 60_000,
                    List.of(new WireMessage.QueueAd("orders", QueueType.FIFO)), garbage));
            Await.until(PATIENCE, "c1 refused the three forged frames in others' names",
                    () -> f.node(1).statistics().forgeriesRefused() == 3, () -> f.node(1).statistics());

            assertEquals(List.of(c(2)), f.node(1).routes().get(c(3)), "still through c2, not c4");
            assertEquals(List.of(new QueueInfo(c(3), "orders", QueueType.FIFO)),
                    f.node(1).discoverQueues("orders"), "c3's queue, and none on c2");
            Message m = Message.builder("orders").payload("through c2".getBytes(StandardCharsets.UTF_8)).build(random);
            DeliveryResult r = LiveFederation.outcome(f.node(1).send(m, DeliveryOptions.of(
                    DeliveryGuarantee.AT_LEAST_ONCE).withTargets(c(3))));
            assertTrue(r.success(), r.toString());
            Await.until(PATIENCE, "c3 delivers", () -> at3.size() == 1);
            assertEquals(3, f.node(1).statistics().forgeriesRefused());
        }
    }

    /**
     * SCENARIOS B3 where the answering cluster is not linked with the sender: c3's ACK to c1 travels through c2 and
     * carries c3's signature. c4 forges c3's ACK and NACK of a message c3 has not received (unsigned, and signed with
     * c3's genuine signature of another answer): c1 refuses both and the send waits for c3's own ACK, which it takes.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void forgedAnswersOfAClusterNotLinkedHereChangeNoOutcome(String transport) throws Exception {
        try (LiveFederation f = started(transport)) {
            List<Delivery> at3 = f.subscribe(3, "orders");
            f.gate.record(f.id(2), f.id(1));
            Message first = Message.builder("orders").payload(new byte[] {1}).build(random);
            assertTrue(LiveFederation.outcome(f.node(1).send(first, TO_C3)).success());
            WireMessage.Ack genuine = WireTap.awaitLast(f, 2, 1, WireMessage.Ack.class, a -> a.id().equals(first.id()));
            assertEquals(SignedVote.SIGNATURE_BYTES, genuine.signature().length, "a relayed ACK is signed");

            f.gate.blockType(f.id(2), f.id(3), WireCodec.DELIVER); // c3 does not get the next one yet
            Message m = Message.builder("orders").payload(new byte[] {2}).build(random);
            java.util.concurrent.CompletableFuture<DeliveryResult> pending = f.node(1).send(m, TO_C3);
            List<io.mpreg.api.ClusterId> via = List.of(c(3), c(4));
            WireTap.forge(f, 4, 1, new WireMessage.Ack(m.id(), c(3), c(1), via));
            WireTap.forge(f, 4, 1, new WireMessage.Ack(m.id(), c(3), c(1), via, genuine.signature()));
            WireTap.forge(f, 4, 1, new WireMessage.Nack(m.id(), c(3), c(1), "no queue 'orders' on cluster c3", via));
            Await.until(PATIENCE, "c1 refused the three forged answers",
                    () -> f.node(1).statistics().forgeriesRefused() == 3, () -> f.node(1).statistics());
            assertTrue(!pending.isDone(), "no forged answer decided the send");
            f.gate.unblockType(f.id(2), f.id(3), WireCodec.DELIVER);
            DeliveryResult r = LiveFederation.outcome(pending);
            assertTrue(r.success(), r.toString());
            Await.until(PATIENCE, "c3 delivers both, once each", () -> at3.size() == 2);
            assertEquals(3, f.node(1).statistics().forgeriesRefused());
        }
    }

    /**
     * c3's answers to c1 go through c2 and carry c3's proof of origin; answers made together share one signature
     * (each carries a Merkle seal of it), made off c3's event loop, and c1 takes every one of them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void answersRelayedTogetherShareOneSignature(String transport) throws Exception {
        try (LiveFederation f = started(transport)) {
            List<Delivery> at3 = f.subscribe(3, "orders");
            f.gate.record(f.id(2), f.id(1));
            List<java.util.concurrent.CompletableFuture<DeliveryResult>> sends = new java.util.ArrayList<>();
            java.util.Set<io.mpreg.api.MessageId> ids = new java.util.HashSet<>();
            for (int i = 0; i < 300; i++) {
                Message m = Message.builder("orders").payload(new byte[] {(byte) i}).build(random);
                ids.add(m.id());
                sends.add(f.node(1).send(m, TO_C3));
            }
            for (java.util.concurrent.CompletableFuture<DeliveryResult> s : sends) {
                assertTrue(LiveFederation.outcome(s).success());
            }
            Await.until(PATIENCE, "c3 delivers all 300", () -> at3.size() == 300);
            List<WireMessage.Ack> acks = WireTap.recorded(f, 2, 1, WireMessage.Ack.class, a -> ids.contains(a.id()));
            java.util.Set<String> signatures = new java.util.HashSet<>();
            long sealed = 0;
            for (WireMessage.Ack a : acks) {
                assertEquals(c(3), a.from());
                assertTrue(a.signature().length >= SignedVote.SIGNATURE_BYTES, "every relayed ACK is signed: " + a);
                sealed += io.mpreg.api.MerkleSeal.isBatch(a.signature()) ? 1 : 0;
                signatures.add(java.util.HexFormat.of().formatHex(io.mpreg.api.MerkleSeal.signatureOf(
                        a.signature())));
            }
            assertTrue(acks.size() >= 300, acks.size() + " ACKs recorded");
            assertTrue(sealed > 0 && signatures.size() < acks.size() / 2, signatures.size() + " signatures for "
                    + acks.size() + " relayed ACKs, " + sealed + " of them sealed in batches");
            assertEquals(0, f.node(1).statistics().forgeriesRefused());
        }
    }
}
