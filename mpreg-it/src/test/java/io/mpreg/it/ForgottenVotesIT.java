package io.mpreg.it;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.Threshold;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.internal.wire.WireMessage;
import io.mpreg.tck.Await;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCENARIOS "no false accusation": an honest cluster never signs a second, different vote in a round, even when it no
 * longer remembers the first. c4, a member with valid credentials, replays to c2 the PREPARE of a round c2 voted yes
 * in and delivered, once c2 has forgotten that vote. Voting afresh would give "already delivered" (or "no queue"), a
 * no vote that c1, holding c2's yes, would take as proof that c2 equivocates. c2 refuses the PREPARE instead, counts
 * it, and nobody is accused.
 */
class ForgottenVotesIT {
    private final SplittableRandom random = new SplittableRandom(23);

    private Message message(String text) {
        return Message.builder("orders").payload(text.getBytes(StandardCharsets.UTF_8)).build(random);
    }

    private static DeliveryOptions toFirstThree() {
        return DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM)
                .withTargets(List.of(ClusterId.of("c1"), ClusterId.of("c2"), ClusterId.of("c3")))
                .withThreshold(Threshold.ALL);
    }

    /** c2 remembers one vote: the next round's pushes the first one's out. */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void aVoteThatLeftTheMemoryIsNeverCastAgain(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 4, (id, b) -> id.cluster().equals(ClusterId.of("c2"))
                ? b.voteMemory(Duration.ofMinutes(10), 1) : b).start()) {
            WireMessage.Prepare first = committedRound(f);
            assertTrue(LiveFederation.outcome(f.node(1).send(message("second"), toFirstThree())).success());
            replay(f, first); // c2 delivered its message: voting afresh would say no
            nobodyAccused(f);
        }
    }

    /**
     * c2 keeps a log and remembers one vote: restarted, it has the votes its log holds back, and what it had forgotten
     * stays forgotten.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void aRestartedNodeWithALogStillKnowsWhatItForgot(String transport, @TempDir Path dir) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 4, (id, b) -> id.cluster().equals(ClusterId.of("c2"))
                ? b.voteMemory(Duration.ofMinutes(10), 1).dataDirectory(dir) : b).start()) {
            WireMessage.Prepare first = committedRound(f);
            assertTrue(LiveFederation.outcome(f.node(1).send(message("second"), toFirstThree())).success());
            f.restart(2);
            f.awaitDirectLinks();
            replay(f, first); // c2 recovered its queue and what it delivered: voting afresh would say no
            nobodyAccused(f);
        }
    }

    /** c2 runs without a log: its restart forgets every vote, and it votes in no round opened before it. */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void aRestartedNodeWithoutALogVotesInNoEarlierRound(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 4).start()) {
            WireMessage.Prepare first = committedRound(f);
            f.restart(2);
            f.awaitDirectLinks();
            replay(f, first); // c2 has no queue 'orders' now: voting afresh would say no
            f.subscribe(2, "orders");
            nobodyAccused(f);
        }
    }

    /** A round c1 coordinates to {c1, c2, c3}, committed and delivered at c2: its PREPARE to c2, as c2 got it. */
    private WireMessage.Prepare committedRound(LiveFederation f) throws Exception {
        f.awaitDirectLinks(); // the PREPARE goes straight to c2, where the gate records it
        List<Delivery> at2 = f.subscribe(2, "orders");
        f.subscribe(1, "orders");
        f.subscribe(3, "orders");
        f.gate.record(f.id(1), f.id(2));
        DeliveryResult r = LiveFederation.outcome(f.node(1).send(message("first"), toFirstThree()));
        assertTrue(r.success(), r.toString());
        Await.until(PATIENCE, "c2 delivers the first message", () -> at2.size() == 1);
        return WireTap.awaitFirst(f, 1, 2, WireMessage.Prepare.class, p -> p.round().equals(r.certificate().round()));
    }

    private static void replay(LiveFederation f, WireMessage.Prepare first) {
        WireTap.forge(f, 4, 2, new WireMessage.Prepare(first.round(), first.target(), first.messages(), first.digest(),
                first.terms(), first.timeoutMillis(), List.of(ClusterId.of("c4"))));
        Await.until(PATIENCE, "c2 refuses the replayed PREPARE of the round it forgot, or c1 accuses c2",
                () -> f.node(2).statistics().preparesRefused() == 1
                        || !f.node(1).statistics().faultsBySuspect().isEmpty(), () -> f.node(2).statistics());
        assertEquals(Map.of(), f.node(1).statistics().faultsBySuspect(), "c1 accuses nobody");
        assertEquals(1, f.node(2).statistics().preparesRefused());
    }

    private void nobodyAccused(LiveFederation f) throws Exception {
        // and c1 has been told nothing new: a round later, nobody is accused of anything
        assertTrue(LiveFederation.outcome(f.node(1).send(message("third"), toFirstThree())).success());
        for (int i = 1; i <= 4; i++) {
            assertEquals(Map.of(), f.node(i).statistics().faultsBySuspect(), "c" + i + " accuses nobody");
            assertEquals(List.of(), f.node(i).equivocationEvidence(), "c" + i + " holds no proof");
        }
    }
}
