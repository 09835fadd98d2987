package io.mpreg.it;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.SignedVote;
import io.mpreg.federation.WeightProposal;
import io.mpreg.federation.internal.wire.WireCodec;
import io.mpreg.federation.internal.wire.WireMessage;
import io.mpreg.tck.Await;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCENARIOS B5 live: c3, a member with valid credentials, proposes a weight table giving itself all the weight, and
 * forges the other clusters' approvals of it. No node adopts it, c3 included: a table takes effect only with the
 * signed approvals of clusters holding a Byzantine quorum of the current table's weight (2 of 3 here). c1's proposal,
 * approved by c2's operator, then takes effect everywhere and changes the outcome of a round.
 */
class WeightConsentIT {
    private static final WireCodec CODEC = new WireCodec(1 << 20);
    private static final ClusterId C1 = ClusterId.of("c1");
    private static final ClusterId C2 = ClusterId.of("c2");
    private static final ClusterId C3 = ClusterId.of("c3");

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void oneMemberCannotChangeTheWeightsAndAQuorumCan(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 3).start()) {
            f.awaitFullyConnected();
            f.subscribe(2, "orders"); // c3 has no such queue: it votes no
            Map<ClusterId, Long> grab = Map.of(C1, 1L, C2, 1L, C3, 100L);
            assertEquals(2, f.node(3).updateWeights(grab));
            for (int i = 1; i <= 2; i++) {
                int at = i;
                Await.until(PATIENCE, "c" + at + " holds c3's proposal, approved by c3 alone",
                        () -> f.node(at).weightProposals().equals(List.of(new WeightProposal(2, C3,
                                new TreeMap<>(grab), new java.util.TreeSet<>(Set.of(C3))))),
                        () -> f.node(at).weightProposals());
            }
            // c3 forges c1's and c2's approvals onto its proposal, on its own link to c1
            byte[] garbage = new byte[SignedVote.SIGNATURE_BYTES];
            new SplittableRandom(3).nextBytes(garbage);
            WireMessage.Weights forged = new WireMessage.Weights(f.id(3), 2, new TreeMap<>(grab), C3,
                    new TreeMap<>(Map.of(C1, garbage, C2, garbage.clone())));
            f.gate.rewriteNext(f.id(3), f.id(1), frame -> CODEC.encode(CODEC.decode(ByteBuffer.wrap(frame)).link(),
                    forged));
            Await.until(PATIENCE, "c1 refused both forged approvals",
                    () -> f.node(1).statistics().forgeriesRefused() == 2, () -> f.node(1).statistics());
            for (int i = 1; i <= 3; i++) {
                assertEquals(1, f.node(i).weightTableVersion(), "c" + i + " still counts with v1");
            }
            assertEquals(Set.of(C3), f.node(1).weightProposals().get(0).approvedBy());

            // c1 proposes its own v2; c2's operator approves it: 2 of 3 clusters, the quorum
            Map<ClusterId, Long> agreed = Map.of(C1, 1L, C2, 5L, C3, 1L);
            assertEquals(2, f.node(1).updateWeights(agreed));
            Await.until(PATIENCE, "c2 holds c1's proposal", () -> f.node(2).weightProposals().stream()
                    .anyMatch(p -> p.proposer().equals(C1)), () -> f.node(2).weightProposals());
            assertFalse(f.node(2).approveWeights(2, ClusterId.of("c9")), "no such proposal");
            assertTrue(f.node(2).approveWeights(2, C1));
            for (int i = 1; i <= 3; i++) {
                int at = i;
                Await.until(PATIENCE, "c" + at + " counts with c1's v2",
                        () -> f.node(at).weightTableVersion() == 2 && f.node(at).weightProposals().isEmpty()
                                && f.node(at).weightTableAgreement().size() == 2
                                && !f.node(at).weightTableAgreement().containsValue(false),
                        () -> f.node(at).weightTableAgreement() + " " + f.node(at).weightProposals());
            }
            assertFalse(f.node(3).approveWeights(2, C3), "c3's own proposal is gone");
            Message m = Message.builder("orders").payload("5 of 6".getBytes(StandardCharsets.UTF_8))
                    .build(new SplittableRandom(4));
            DeliveryResult after = LiveFederation.outcome(f.node(1).send(m,
                    DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM).withTargets(C2, C3)));
            assertTrue(after.success(), "c2 weighs 5 of 6 now: " + after);
        }
    }
}
