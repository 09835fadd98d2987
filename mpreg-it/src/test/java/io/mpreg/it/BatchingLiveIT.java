package io.mpreg.it;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.SignedVote;
import io.mpreg.api.Threshold;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.internal.wire.WireCodec;
import io.mpreg.tck.Await;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A burst of signed GLOBAL_QUORUM sends over real links: the frames between the clusters carry batches, the targets
 * sign their votes together (a vote's seal proves it alone), and every commit's certificate checks offline with
 * nothing but the clusters' public keys; each message is delivered once at each target. At 2/3, the coordinator's
 * own cluster is in every certificate.
 */
class BatchingLiveIT {
    private static final int MESSAGES = 300;

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void aBurstTravelsInBatchesWithVotesSignedTogetherAndEveryCommitProven(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 3).start()) {
            f.awaitFullyConnected();
            List<Delivery> at1 = f.subscribe(1, "orders");
            List<Delivery> at2 = f.subscribe(2, "orders");
            List<Delivery> at3 = f.subscribe(3, "orders");
            f.gate.record(f.id(1), f.id(2));
            f.gate.record(f.id(2), f.id(1));
            SplittableRandom random = new SplittableRandom(23);
            DeliveryOptions everyone = DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM)
                    .withTargets(List.of(ClusterId.of("c1"), ClusterId.of("c2"), ClusterId.of("c3")))
                    .withThreshold(Threshold.ALL);
            List<CompletableFuture<DeliveryResult>> sends = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                sends.add(f.node(1).send(Message.builder("orders").payload(("m" + i).getBytes(StandardCharsets.UTF_8))
                        .build(random), everyone));
            }
            int sealed = 0;
            for (CompletableFuture<DeliveryResult> s : sends) {
                DeliveryResult r = LiveFederation.outcome(s);
                assertTrue(r.success(), r.toString());
                assertEquals(java.util.Optional.empty(), r.certificate().verify(LiveFederation.publicVoteKeys(3)),
                        "the certificate proves the commit offline");
                sealed += (int) r.certificate().votes().stream().filter(SignedVote::isSealed).count();
            }
            assertTrue(sealed > 0, "no vote was signed together with another");
            assertTrue(batches(f, 1, 2) > 0, "c1 sent c2 no batch frame");
            assertTrue(batches(f, 2, 1) > 0, "c2 sent c1 no batch frame");
            for (List<Delivery> at : List.of(at1, at2, at3)) {
                Await.until(PATIENCE, "every message delivered", () -> at.size() == MESSAGES, at::size);
                assertEquals(MESSAGES, new HashSet<>(LiveFederation.texts(at)).size(), "each once");
            }

            // at 2/3 the coordinator's cluster is in every certificate: a commit decided by the targets' votes while
            // its own yes was still being signed waits for that vote
            DeliveryOptions twoThirds = DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM)
                    .withTargets(List.of(ClusterId.of("c1"), ClusterId.of("c2"), ClusterId.of("c3")));
            List<CompletableFuture<DeliveryResult>> more = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                more.add(f.node(1).send(Message.builder("orders").payload(("n" + i).getBytes(StandardCharsets.UTF_8))
                        .build(random), twoThirds));
            }
            for (CompletableFuture<DeliveryResult> s : more) {
                DeliveryResult r = LiveFederation.outcome(s);
                assertTrue(r.success() && r.committedTo().contains(ClusterId.of("c1")), r.toString());
            }
            Await.until(PATIENCE, "c1 delivered all its own", () -> at1.size() == 2 * MESSAGES, at1::size);
        }
    }

    /**
     * Sends that come together with the same options share a round: c1's loop is paused while a burst of
     * GLOBAL_QUORUM sends queues, so they are formed into rounds together. Each commit's certificate proves its own
     * message offline (its digest is among the round's messages the votes bind). A message the targets refuse (its
     * id was delivered already) takes no other message of its round down: the round goes again one message per round,
     * and only that message aborts.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void sendsThatComeTogetherShareARoundAndARefusalDownsOnlyItsOwnMessage(String transport) throws Exception {
        PausableLoop loop = new PausableLoop("paused-c1");
        try (LiveFederation f = new LiveFederation(transport, 3, (id, b) -> id.cluster().value().equals("c1")
                ? b.eventLoop(loop) : b).start()) {
            f.awaitFullyConnected();
            List<Delivery> at2 = f.subscribe(2, "orders");
            f.subscribe(1, "orders");
            f.subscribe(3, "orders");
            SplittableRandom random = new SplittableRandom(29);
            DeliveryOptions everyone = DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM)
                    .withTargets(List.of(ClusterId.of("c1"), ClusterId.of("c2"), ClusterId.of("c3")))
                    .withThreshold(Threshold.ALL);
            Message first = Message.builder("orders").payload("first".getBytes(StandardCharsets.UTF_8)).build(random);
            assertTrue(LiveFederation.outcome(f.node(1).send(first, everyone)).success());

            List<DeliveryResult> burst = sendPaused(f, loop, random, everyone, 20, null);
            java.util.Set<io.mpreg.api.Digest> digests = new HashSet<>();
            for (DeliveryResult r : burst) {
                assertTrue(r.success(), r.toString());
                assertEquals(java.util.Optional.empty(), r.certificate().verify(LiveFederation.publicVoteKeys(3)));
                assertEquals(20, r.certificate().roundMessages().size(), "the 20 sends shared one round");
                assertTrue(r.certificate().roundMessages().contains(r.certificate().messageDigest()));
                digests.add(r.certificate().messageDigest());
            }
            assertEquals(20, digests.size(), "each certificate names its own message");
            assertEquals(1, f.node(1).statistics().sharedRounds());
            assertEquals(20, f.node(1).statistics().sharedRoundMessages());

            List<DeliveryResult> again = sendPaused(f, loop, random, everyone, 10, first);
            assertEquals(2, f.node(1).statistics().sharedRounds(), "the eleven shared a round first");
            for (DeliveryResult r : again) {
                if (r.messageId().equals(first.id())) {
                    assertTrue(!r.success() && r.abortReason() == io.mpreg.api.AbortReason.QUORUM_IMPOSSIBLE,
                            r.toString());
                    assertTrue(r.failures().values().stream().anyMatch(why -> why.contains("already delivered")),
                            r.failures().toString());
                } else {
                    assertTrue(r.success(), "a refusal of another message of its round decided " + r);
                    assertTrue(r.certificate().roundMessages().isEmpty(), "it went again alone: " + r);
                    assertEquals(java.util.Optional.empty(), r.certificate().verify(LiveFederation.publicVoteKeys(3)));
                }
            }
            Await.until(PATIENCE, "c2 delivered each message once", () -> at2.size() == 31, at2::size);
            assertEquals(31, new HashSet<>(LiveFederation.texts(at2)).size(), "each once");
        }
    }

    /** {@code n} new sends (and {@code also}, in the middle, if given) queued while c1's loop is paused. */
    private static List<DeliveryResult> sendPaused(LiveFederation f, PausableLoop loop, SplittableRandom random,
                                                   DeliveryOptions options, int n, Message also) throws Exception {
        List<CompletableFuture<DeliveryResult>> sends = new ArrayList<>();
        loop.pause();
        try {
            for (int i = 0; i < n; i++) {
                if (also != null && i == n / 2) {
                    sends.add(f.node(1).send(also, options));
                }
                sends.add(f.node(1).send(Message.builder("orders").payload(("burst " + random.nextLong())
                        .getBytes(StandardCharsets.UTF_8)).build(random), options));
            }
        } finally {
            loop.resume();
        }
        List<DeliveryResult> out = new ArrayList<>();
        for (CompletableFuture<DeliveryResult> s : sends) {
            out.add(LiveFederation.outcome(s));
        }
        return out;
    }

    private static long batches(LiveFederation f, int from, int to) {
        return f.gate.recorded(f.id(from), f.id(to)).stream().filter(frame -> frame[3] == WireCodec.BATCH).count();
    }
}
