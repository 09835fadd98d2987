package io.mpreg.it.sim;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Digest;
import io.mpreg.api.MessageId;
import io.mpreg.api.NodeId;
import io.mpreg.api.RoundId;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;
import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.fault.RoundView;
import io.mpreg.api.spi.fault.RoundWatch;
import io.mpreg.federation.FederationStatistics;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each checker rule against a small hand-made history: a clean one passes, each broken one is named. */
class CheckerTest {
    private static final ClusterId C1 = ClusterId.of("c1");
    private static final ClusterId C2 = ClusterId.of("c2");
    private static final ClusterId X = ClusterId.of("x");
    private static final NodeId N1 = NodeId.of("c1", "gw");
    private static final NodeId N2 = NodeId.of("c2", "gw");
    private static final long MS = 1_000_000;

    private static final java.security.KeyPair X_KEYS = io.mpreg.api.VoteKeys.generate();
    private final History h = new History();
    private final VoteTap tap1 = new VoteTap();

    CheckerTest() {
        h.started("c1/gw#1", N1, 0, tap1);
        h.started("c2/gw#1", N2, 0, new VoteTap());
    }

    private History.Op send(int k, DeliveryGuarantee g, Set<ClusterId> targets) {
        return h.sent(k, new MessageId(0, k), "c1/gw#1", N1, g, targets, k * MS, false, k * MS + 3000 * MS);
    }

    private static DeliveryResult ok(int k, DeliveryGuarantee g, Set<ClusterId> to) {
        return DeliveryResult.succeeded(new MessageId(0, k), g, to, to, Map.of());
    }

    private List<String> check() {
        for (String label : List.of("c1/gw#1", "c2/gw#1")) {
            if (h.lives.get(label).last == null) {
                h.stopped(label, 99_000 * MS, stats(Map.of()), List.of(), false);
            }
        }
        return new Checker(h, X, ClusterId.of("m"), Map.of(X, X_KEYS.getPublic())).check(false, Long.MAX_VALUE);
    }

    private static FederationStatistics stats(Map<ClusterId, Long> suspects) {
        return stats(suspects, 0);
    }

    private static FederationStatistics stats(Map<ClusterId, Long> suspects, int roundsInDoubt) {
        return new FederationStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO, Duration.ZERO, 0, 0,
                0, 0, 0, roundsInDoubt, Duration.ZERO, Duration.ZERO, new TreeMap<>(suspects), new TreeMap<>(), 0, 0, 0,
                0, null, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void aCleanHistoryPasses() {
        History.Op op = send(1, DeliveryGuarantee.AT_LEAST_ONCE, Set.of(C2));
        h.completed(op, ok(1, DeliveryGuarantee.AT_LEAST_ONCE, Set.of(C2)), null, 5 * MS);
        h.delivered("c2/gw#1", N2, op.id, DeliveryGuarantee.AT_LEAST_ONCE, 4 * MS);
        assertEquals(List.of(), check());
    }

    @Test
    void anAcknowledgedMessageNeverDeliveredIsLost() {
        History.Op op = send(1, DeliveryGuarantee.AT_LEAST_ONCE, Set.of(C2));
        h.completed(op, ok(1, DeliveryGuarantee.AT_LEAST_ONCE, Set.of(C2)), null, 5 * MS);
        assertTrue(check().get(0).startsWith("lost: c2"), check().toString());
    }

    @Test
    void aCommitWhoseCoordinatorLostItsLogBlocksItsTargetsInDoubtButMayNotLoseTheMessage() {
        History.Op op = send(1, DeliveryGuarantee.GLOBAL_QUORUM, Set.of(C1, C2));
        h.completed(op, ok(1, DeliveryGuarantee.GLOBAL_QUORUM, Set.of(C1, C2)), null, 3 * MS);
        h.delivered("c1/gw#1", N1, op.id, DeliveryGuarantee.GLOBAL_QUORUM, 4 * MS);
        h.stopped("c1/gw#1", 5 * MS, stats(Map.of()), List.of(), true);
        h.refused("c1/gw#2", N1, 6 * MS, "the log is damaged");
        h.stopped("c2/gw#1", 99_000 * MS, stats(Map.of(), 0), List.of(), false);
        // (this hand-made commit has no certificate: only the "lost" rule is looked at here)
        java.util.function.Supplier<List<String>> lost = () -> check().stream().filter(x -> x.startsWith("lost"))
                .toList();
        assertEquals(1, lost.get().size(), "c2 dropped it: " + lost.get());
        assertTrue(lost.get().get(0).startsWith("lost: c2"), lost.get().toString());
        h.lives.get("c2/gw#1").last = stats(Map.of(), 1);
        assertEquals(List.of(), lost.get(), "c2 still holds it, in doubt, and asks: blocked, not lost");
    }

    @Test
    void theMaliciousMemberAnswersForNoDeliveryButAnHonestClusterDoes() {
        ClusterId m = ClusterId.of("m");
        History.Op op = send(1, DeliveryGuarantee.AT_LEAST_ONCE, Set.of(C2, m));
        h.completed(op, ok(1, DeliveryGuarantee.AT_LEAST_ONCE, Set.of(C2, m)), null, 5 * MS);
        List<String> v = check();
        assertEquals(1, v.size(), "m votes yes and never delivers, as it lies; c2 must: " + v);
        assertTrue(v.get(0).startsWith("lost: c2"), v.toString());
    }

    @Test
    void aCrashDoesNotExcuseLosingAnAcknowledgedMessageButADamagedLogDoes() {
        History.Op op = send(1, DeliveryGuarantee.AT_LEAST_ONCE, Set.of(C2));
        h.completed(op, ok(1, DeliveryGuarantee.AT_LEAST_ONCE, Set.of(C2)), null, 5 * MS);
        h.stopped("c2/gw#1", 10 * MS, stats(Map.of()), List.of(), true);
        h.started("c2/gw#2", N2, 20 * MS, new VoteTap());
        h.stopped("c2/gw#2", 99_000 * MS, stats(Map.of()), List.of(), false);
        assertEquals(1, check().size(), "the node keeps its queue across a crash: " + check());
        assertTrue(check().get(0).startsWith("lost: c2 acknowledged or committed but never delivered m1"));
        h.refused("c2/gw#3", N2, 99_001 * MS, "the log is damaged");
        assertEquals(List.of(), check(), "a node that refused to start on a damaged log lost what it held");
    }

    @Test
    void duplicatesUnexpectedAndMisaddressedDeliveriesAreNamed() {
        History.Op op = send(1, DeliveryGuarantee.FIRE_AND_FORGET, Set.of(C2));
        h.completed(op, ok(1, DeliveryGuarantee.FIRE_AND_FORGET, Set.of()), null, 1 * MS);
        h.delivered("c2/gw#1", N2, op.id, DeliveryGuarantee.FIRE_AND_FORGET, 2 * MS);
        h.delivered("c2/gw#1", N2, op.id, DeliveryGuarantee.FIRE_AND_FORGET, 3 * MS);
        h.delivered("c1/gw#1", N1, op.id, DeliveryGuarantee.FIRE_AND_FORGET, 3 * MS);
        h.delivered("c1/gw#1", N1, new MessageId(9, 9), DeliveryGuarantee.FIRE_AND_FORGET, 3 * MS);
        List<String> v = check();
        assertEquals(3, v.size(), v.toString());
        assertTrue(v.get(0).startsWith("duplicate: c2/gw#1"), v.toString());
        assertTrue(v.get(1).startsWith("unexpected: c1/gw#1") && v.get(1).contains("not addressed"), v.toString());
        assertTrue(v.get(2).contains("which nobody sent"), v.toString());
    }

    @Test
    void aQuorumMessageDeliveredWithoutACommitIsNamed() {
        History.Op op = send(1, DeliveryGuarantee.GLOBAL_QUORUM, Set.of(C1, C2));
        h.completed(op, DeliveryResult.failed(op.id, DeliveryGuarantee.GLOBAL_QUORUM, AbortReason.TIMEOUT, Map.of()),
                null, 3000 * MS);
        h.delivered("c2/gw#1", N2, op.id, DeliveryGuarantee.GLOBAL_QUORUM, 5 * MS);
        assertTrue(check().get(0).startsWith("delivered without a commit: c2/gw#1"), check().toString());
    }

    @Test
    void aCommittedMessageNotDeliveredEverywhereItWasCommittedIsLostInEveryRun() {
        History.Op op = send(1, DeliveryGuarantee.GLOBAL_QUORUM, Set.of(C1, C2));
        h.completed(op, ok(1, DeliveryGuarantee.GLOBAL_QUORUM, Set.of(C1, C2)), null, 3 * MS);
        h.delivered("c1/gw#1", N1, op.id, DeliveryGuarantee.GLOBAL_QUORUM, 5 * MS);
        List<String> v = check().stream().filter(x -> x.startsWith("lost")).toList(); // (check() is not liveness)
        assertEquals(1, v.size(), v.toString());
        assertTrue(v.get(0).startsWith("lost: c2 acknowledged or committed but never delivered m1"), v.toString());
    }

    @Test
    void aCommitWithoutACertificateOrADeliveryOutsideItIsNamed() {
        History.Op bare = send(1, DeliveryGuarantee.GLOBAL_QUORUM, Set.of(C1, C2));
        h.completed(bare, ok(1, DeliveryGuarantee.GLOBAL_QUORUM, Set.of(C1, C2)), null, 3 * MS);
        // a certificate whose votes are not signed proves nothing where clusters hold keys
        History.Op unsigned = send(2, DeliveryGuarantee.GLOBAL_QUORUM, Set.of(C1, C2));
        io.mpreg.api.RoundTerms terms = new io.mpreg.api.RoundTerms(1, io.mpreg.api.Digest.sha256(new byte[0]),
                DeliveryGuarantee.GLOBAL_QUORUM, io.mpreg.api.Threshold.ONE_HALF, 0, new TreeMap<>(Map.of(C1, 1L,
                C2, 1L)));
        io.mpreg.api.Digest message = io.mpreg.api.Digest.sha256(new byte[] {2});
        io.mpreg.api.RoundId round = new io.mpreg.api.RoundId(C1, 2);
        io.mpreg.api.CommitCertificate certificate = new io.mpreg.api.CommitCertificate("fed", round, message, terms,
                List.of(io.mpreg.api.SignedVote.unsigned("fed", 1, new io.mpreg.api.Vote(round, C1,
                        io.mpreg.api.Verdict.YES, terms.proposal(message)))));
        h.completed(unsigned, DeliveryResult.committed(unsigned.id, DeliveryGuarantee.GLOBAL_QUORUM, certificate,
                Map.of()), null, 4 * MS);
        h.delivered("c2/gw#1", N2, unsigned.id, DeliveryGuarantee.GLOBAL_QUORUM, 5 * MS);
        // delivered where each is committed, so only the proofs and the delivery outside are named
        h.delivered("c1/gw#1", N1, bare.id, DeliveryGuarantee.GLOBAL_QUORUM, 5 * MS);
        h.delivered("c2/gw#1", N2, bare.id, DeliveryGuarantee.GLOBAL_QUORUM, 5 * MS);
        h.delivered("c1/gw#1", N1, unsigned.id, DeliveryGuarantee.GLOBAL_QUORUM, 5 * MS);
        List<String> v = check();
        assertEquals(3, v.size(), v.toString());
        assertTrue(v.get(0).startsWith("committed without proof (it has no certificate)"), v.toString());
        assertTrue(v.get(1).startsWith("committed without proof (the vote of c1 has no known key)"), v.toString());
        assertTrue(v.get(2).startsWith("delivered outside its certificate: c2/gw#1"), v.toString());
    }

    @Test
    void outcomesThatNeverCameOrCameLateAreNamedUnlessTheSenderCrashed() {
        send(1, DeliveryGuarantee.AT_LEAST_ONCE, Set.of(C2));
        History.Op late = send(2, DeliveryGuarantee.FIRE_AND_FORGET, Set.of(C2));
        h.completed(late, ok(2, DeliveryGuarantee.FIRE_AND_FORGET, Set.of()), null, late.deadline + Checker.LATE + 1);
        List<String> v = check();
        assertEquals(2, v.size(), v.toString());
        assertTrue(v.get(0).startsWith("never completed: m1"), v.toString());
        assertTrue(v.get(1).contains("after its deadline: m2"), v.toString());
    }

    @Test
    void causalOrderIsCheckedAtEveryReceiver() {
        History.Op m1 = send(1, DeliveryGuarantee.CAUSAL, Set.of());
        History.Op m2 = send(2, DeliveryGuarantee.CAUSAL, Set.of()); // sent after m1 by the same node
        h.completed(m1, ok(1, DeliveryGuarantee.CAUSAL, Set.of(C2)), null, 5 * MS);
        h.completed(m2, ok(2, DeliveryGuarantee.CAUSAL, Set.of(C2)), null, 5 * MS);
        h.delivered("c2/gw#1", N2, m2.id, DeliveryGuarantee.CAUSAL, 3 * MS);
        h.delivered("c2/gw#1", N2, m1.id, DeliveryGuarantee.CAUSAL, 4 * MS);
        assertTrue(check().get(0).startsWith("causal order: c2/gw#1 delivered m2"), check().toString());
    }

    @Test
    void honestFlagsAndAnUnflaggedTwinAreNamed() {
        RoundId round = new RoundId(C1, 7);
        RoundWatch watch = tap1.create(PluginOptions.NONE).watch(new RoundView(round, new Digest(1, 2, 3, 4),
                List.of(C1, X)));
        watch.onVote(1, new Vote(round, X, Verdict.YES, new Digest(1, 2, 3, 4), ""));
        watch.onVote(1, new Vote(round, X, Verdict.NO, new Digest(1, 2, 3, 4), "no queue"));
        h.stopped("c1/gw#1", 50 * MS, stats(Map.of(C2, 1L)), List.of(), false);
        List<String> v = check();
        assertEquals(3, v.size(), v.toString());
        assertTrue(v.get(0).startsWith("honest cluster c2 flagged by c1/gw#1"), v.toString());
        assertTrue(v.get(1).startsWith("twin not flagged: c1/gw#1 saw both of x's votes in 1 rounds"), v.toString());
        assertTrue(v.get(2).startsWith("no signed proof: c1/gw#1 saw both of x's votes in rounds [c1#7]"),
                v.toString());
    }

    @Test
    void aFlaggedTwinNeedsAProofThatChecksWithItsPublicKey() {
        RoundId round = new RoundId(C1, 7);
        RoundWatch watch = tap1.create(PluginOptions.NONE).watch(new RoundView(round, new Digest(1, 2, 3, 4),
                List.of(C1, X)));
        Vote yes = new Vote(round, X, Verdict.YES, new Digest(1, 2, 3, 4), "");
        Vote no = new Vote(round, X, Verdict.NO, new Digest(1, 2, 3, 4), "no queue");
        watch.onVote(1, yes);
        watch.onVote(1, no);
        java.security.PrivateKey forger = io.mpreg.api.VoteKeys.generate().getPrivate();
        h.stopped("c1/gw#1", 50 * MS, stats(Map.of(X, 1L)), List.of(new io.mpreg.api.SignedEquivocation(
                io.mpreg.api.SignedVote.sign("sim", 1, yes, forger), io.mpreg.api.SignedVote.sign("sim", 1, no,
                forger))), false);
        List<String> v = check();
        assertEquals(1, v.size(), v.toString());
        assertTrue(v.get(0).startsWith("no signed proof"), v.toString());
        h.stopped("c1/gw#1", 50 * MS, stats(Map.of(X, 1L)), List.of(new io.mpreg.api.SignedEquivocation(
                io.mpreg.api.SignedVote.sign("sim", 1, yes, X_KEYS.getPrivate()), io.mpreg.api.SignedVote.sign("sim",
                1, no, X_KEYS.getPrivate()))), false);
        assertEquals(List.of(), check());
    }
}
