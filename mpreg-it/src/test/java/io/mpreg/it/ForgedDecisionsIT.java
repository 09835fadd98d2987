package io.mpreg.it;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Digest;
import io.mpreg.api.Message;
import io.mpreg.api.SignedVote;
import io.mpreg.api.Threshold;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.internal.wire.WireCodec;
import io.mpreg.federation.internal.wire.WireMessage;
import io.mpreg.tck.Await;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCENARIOS A1, B1, B2 live: c4, a member with valid credentials, forges DECISIONs on a link it holds (each numbered
 * as the link expects, so only the protocol can refuse them) while c1's round to {c1, c2, c3} waits for c3's vote.
 * It has seen the round's PREPARE and c2's signed yes vote, as a relay would, and a genuine signed ABORT of an
 * earlier round. None of its COMMITs or ABORTs moves c2 or c1; each is refused and counted; the round then commits
 * and c2 delivers the message once.
 */
class ForgedDecisionsIT {
    private final SplittableRandom random = new SplittableRandom(19);

    private Message message(String queue, String text) {
        return Message.builder(queue).payload(text.getBytes(StandardCharsets.UTF_8)).build(random);
    }

    private static DeliveryOptions everyone(int... targets) {
        List<ClusterId> t = new java.util.ArrayList<>();
        for (int c : targets) {
            t.add(ClusterId.of("c" + c));
        }
        return DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM).withTargets(t).withThreshold(Threshold.ALL);
    }


    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void forgedCommitsAndAbortsMoveNoHonestTarget(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 4).start()) {
            f.awaitFullyConnected();
            List<Delivery> at2 = f.subscribe(2, "orders");
            f.subscribe(1, "orders");
            f.subscribe(3, "orders");
            f.gate.record(f.id(1), f.id(2));
            f.gate.record(f.id(2), f.id(1));

            // an earlier round c1 aborted (c2 has no such queue): its ABORT, genuinely signed by c1
            DeliveryResult aborted = LiveFederation.outcome(f.node(1).send(message("nowhere", "x"), everyone(1, 2)));
            assertEquals(AbortReason.QUORUM_IMPOSSIBLE, aborted.abortReason(), aborted.toString());
            WireMessage.DecisionFrame genuineAbort = WireTap.awaitFirst(f, 1, 2, WireMessage.DecisionFrame.class,
                    d -> !d.committed());
            assertEquals(SignedVote.SIGNATURE_BYTES, genuineAbort.signature().length);

            // the round under attack: c3's vote is held up, so it waits with c2 holding the message
            f.gate.blockType(f.id(3), f.id(1), WireCodec.VOTE);
            CompletableFuture<DeliveryResult> pending = f.node(1).send(message("orders", "agreed"), everyone(1, 2, 3));
            WireMessage.Prepare prepare = WireTap.awaitFirst(f, 1, 2, WireMessage.Prepare.class,
                    p -> p.messages().get(0).queue().equals("orders"));
            WireMessage.VoteFrame vote = WireTap.awaitFirst(f, 2, 1, WireMessage.VoteFrame.class,
                    v -> v.vote().round().equals(prepare.round()));
            byte[] c2Signature = vote.signature();
            byte[] garbage = new byte[SignedVote.SIGNATURE_BYTES];
            random.nextBytes(garbage);
            ClusterId c1 = ClusterId.of("c1");
            ClusterId c2 = ClusterId.of("c2");
            ClusterId c3 = ClusterId.of("c3");
            long version = prepare.tableVersion();
            List<ClusterId> via = List.of(ClusterId.of("c4"));
            // every target's vote, c2's genuine, the others made up: the weight adds up, the signatures do not
            WireTap.forge(f, 4, 2, WireMessage.DecisionFrame.commit(prepare.round(), c2, prepare.digest(), version,
                    new TreeMap<>(Map.of(c1, garbage, c2, c2Signature, c3, garbage)), via));
            // c2's genuine vote alone: signed, but short of the quorum
            WireTap.forge(f, 4, 2, WireMessage.DecisionFrame.commit(prepare.round(), c2, prepare.digest(), version,
                    new TreeMap<>(Map.of(c2, c2Signature)), via));
            // a COMMIT of another message (B1: an altered proposal)
            WireTap.forge(f, 4, 2, WireMessage.DecisionFrame.commit(prepare.round(), c2, Digest.sha256(new byte[] {7}),
                    version, new TreeMap<>(Map.of(c1, garbage, c2, c2Signature, c3, garbage)), via));
            // an ABORT carrying c1's genuine signature, from the earlier round
            WireTap.forge(f, 4, 2, WireMessage.DecisionFrame.abort(prepare.round(), c2, AbortReason.TIMEOUT,
                    genuineAbort.signature(), via));
            // a COMMIT of c1's own round, to c1
            WireTap.forge(f, 4, 1, WireMessage.DecisionFrame.commit(prepare.round(), c1, prepare.digest(), version,
                    new TreeMap<>(Map.of(c1, garbage, c2, c2Signature, c3, garbage)), via));
            Await.until(PATIENCE, "c2 refused the four forged DECISIONs",
                    () -> f.node(2).statistics().forgeriesRefused() == 4, () -> f.node(2).statistics());
            Await.until(PATIENCE, "c1 refused the forged DECISION of its own round",
                    () -> f.node(1).statistics().forgeriesRefused() == 1, () -> f.node(1).statistics());
            assertEquals(0, at2.size(), "nothing delivered on a forged COMMIT");
            assertFalse(pending.isDone(), "the round still waits for c3");

            f.gate.restore();
            DeliveryResult r = LiveFederation.outcome(pending);
            assertTrue(r.success(), r.toString());
            assertEquals(java.util.Set.of(c1, c2, c3), r.committedTo());
            assertEquals(Optional.empty(), r.certificate().verify(LiveFederation.publicVoteKeys(4)));
            certificateConvincesAThirdParty(r.certificate());
            Await.until(PATIENCE, "c2 delivers the committed message, once", () -> at2.size() == 1);
            assertEquals("agreed", new String(at2.get(0).message().payload(), StandardCharsets.UTF_8));
            assertEquals(4, f.node(2).statistics().forgeriesRefused());
            for (int i = 1; i <= 4; i++) {
                assertEquals(Map.of(), f.node(i).statistics().faultsBySuspect(), "nobody was accused");
            }
            assertEquals(io.mpreg.federation.FederationStatistics.Health.CRITICAL, f.node(2).statistics().health(),
                    "forged decisions are critical for operators");
        }
    }

    /**
     * SCENARIOS B3: c4 forges c2's ACK and NACK of a message c1 sent c2, on its own link to c1, while c2 has not
     * received it. c2's answers come straight from c2 or carry c2's signature; these do neither, so c1 refuses and
     * counts both, and the sender's outcome does not change until c2 itself acknowledges.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void forgedAcksAndNacksChangeNoSendersOutcome(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 4).start()) {
            f.awaitFullyConnected();
            List<Delivery> at2 = f.subscribe(2, "orders");
            f.gate.blockType(f.id(1), f.id(2), WireCodec.DELIVER); // c2 does not get it yet
            Message m = message("orders", "once");
            CompletableFuture<DeliveryResult> pending = f.node(1).send(m, DeliveryOptions.of(
                    DeliveryGuarantee.AT_LEAST_ONCE).withTargets(ClusterId.of("c2")));
            ClusterId c1 = ClusterId.of("c1");
            ClusterId c2 = ClusterId.of("c2");
            List<ClusterId> relayed = List.of(c2, ClusterId.of("c4"));
            byte[] garbage = new byte[SignedVote.SIGNATURE_BYTES];
            random.nextBytes(garbage);
            WireTap.forge(f, 4, 1, new WireMessage.Ack(m.id(), c2, c1, relayed));
            WireTap.forge(f, 4, 1, new WireMessage.Nack(m.id(), c2, c1, "no queue 'orders' on cluster c2", relayed,
                    garbage));
            Await.until(PATIENCE, "c1 refused the forged answers", () -> f.node(1).statistics().forgeriesRefused() == 2,
                    () -> f.node(1).statistics());
            assertFalse(pending.isDone(), "neither the forged ACK nor the forged NACK decided the send");
            assertEquals(0, f.node(1).statistics().acksReceived());
            assertEquals(0, f.node(1).statistics().nacksReceived());
            f.gate.restore();
            DeliveryResult r = LiveFederation.outcome(pending);
            assertTrue(r.success(), r.toString());
            assertEquals(java.util.Set.of(c2), r.deliveredTo());
            Await.until(PATIENCE, "c2 delivers once", () -> at2.size() == 1);
        }
    }

    /**
     * {@code mpreg verify-certificate} checks the certificate with the targets' public key files alone; an edited one,
     * or a key missing, proves nothing.
     */
    private static void certificateConvincesAThirdParty(io.mpreg.api.CommitCertificate certificate)
            throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("certificate");
        for (int i = 1; i <= 3; i++) {
            java.nio.file.Files.writeString(dir.resolve("c" + i + ".pub"), io.mpreg.api.VoteKeys.pem(
                    LiveFederation.voteKey(ClusterId.of("c" + i)).getPublic()));
        }
        java.nio.file.Path file = dir.resolve("round.certificate");
        java.nio.file.Files.writeString(file, certificate.toText());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertEquals(0, verifyCertificate(file, dir, out), out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("PROVEN: round c1#"), out.toString());
        java.nio.file.Path edited = dir.resolve("edited.certificate");
        java.nio.file.Files.writeString(edited, certificate.toText().replace("weight.c3=1", "weight.c3=0"));
        out.reset();
        assertEquals(1, verifyCertificate(edited, dir, out), "an edited certificate");
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("NOT PROVEN: the vote of c1 is not signed by"),
                out.toString());
        java.nio.file.Files.delete(dir.resolve("c2.pub"));
        assertEquals(1, verifyCertificate(file, dir, new java.io.ByteArrayOutputStream()), "c2's key missing");
    }

    private static int verifyCertificate(java.nio.file.Path file, java.nio.file.Path keys,
                                         java.io.ByteArrayOutputStream out) {
        return io.mpreg.launcher.Main.run(List.of("verify-certificate", "--certificate", file.toString(), "--keys",
                keys.toString()), new java.io.PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    }
}
