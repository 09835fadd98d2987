package io.mpreg.consensus;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.RoundId;
import io.mpreg.api.Threshold;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;
import io.mpreg.api.spi.fault.EquivocationEvidence;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static io.mpreg.consensus.Bench.c;
import static io.mpreg.consensus.Bench.equal;
import static io.mpreg.consensus.Bench.weights;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The consensus scenarios C1-C16 of SCENARIOS.md, with exact expected values. */
class ConsensusScenariosTest {

    @Test
    @DisplayName("C1: three clusters of weight 1 at 2/3 commit on the second yes")
    void c1() {
        Bench b = new Bench();
        RoundId r = b.open(equal("c1", "c2", "c3"));
        assertTrue(b.engine.isOpen(r));
        assertEquals(VoteEffect.COUNTED, b.yes(r, "c1"));
        assertTrue(b.engine.isOpen(r));
        assertTrue(b.decisions.isEmpty());
        assertEquals(VoteEffect.COUNTED, b.yes(r, "c2"));
        Decision d = b.only();
        assertEquals(Decision.Outcome.COMMIT, d.outcome());
        assertEquals(List.of(c("c1"), c("c2")), d.acceptedBy());
        assertEquals(List.of(c("c3")), d.silent());
        assertEquals(2, d.yesWeight());
        assertEquals(2, d.requiredWeight());
        assertEquals(3, d.totalWeight());
        assertFalse(b.engine.isOpen(r));
        assertEquals(0, b.engine.openRounds());
    }

    @Test
    @DisplayName("C2: the initiator votes for itself, so a two-cluster quorum can commit")
    void c2() {
        Bench b = new Bench();
        RoundId r = b.open(equal("A", "B"));
        b.yes(r, "A");
        assertTrue(b.decisions.isEmpty(), "1 of 2 is below 2/3");
        b.yes(r, "B");
        assertEquals(Decision.Outcome.COMMIT, b.only().outcome());
        assertEquals(List.of(c("A"), c("B")), b.only().acceptedBy());
    }

    @Test
    @DisplayName("C3: 100 clusters at 1/1 need the 100th yes")
    void c3() {
        Bench b = new Bench();
        String[] names = IntStream.rangeClosed(1, 100).mapToObj(i -> "c" + i).toArray(String[]::new);
        RoundId r = b.open(equal(names), QuorumPolicy.fraction(Threshold.ALL), names);
        for (int i = 0; i < 99; i++) {
            assertEquals(VoteEffect.COUNTED, b.yes(r, names[i]));
        }
        assertTrue(b.decisions.isEmpty());
        b.yes(r, names[99]);
        assertEquals(Decision.Outcome.COMMIT, b.only().outcome());
        assertEquals(100, b.only().acceptedBy().size());
        assertEquals(100, b.only().yesWeight());
    }

    @Test
    @DisplayName("C3: a round whose voters are all untrusted cannot open: a clear error, not a hang")
    void c3Untrusted() {
        Bench b = new Bench((cluster, configured, record) -> 0);
        ConsensusException e = assertThrows(ConsensusException.class, () -> b.open(equal("A", "B", "C")));
        assertEquals(AbortReason.REJECTED, e.reason());
        assertTrue(e.getMessage().contains("total effective weight of its targets is 0"), e.getMessage());
        assertTrue(e.getMessage().contains("A=1, B=1, C=1"), e.getMessage());
        assertEquals(0, b.engine.openRounds());
    }

    @Test
    @DisplayName("C3: voters made untrusted by their own equivocations leave a round that cannot open")
    void c3UntrustedByEquivocation() {
        Bench b = new Bench();
        WeightTable table = equal("A", "B", "C");
        RoundId r1 = b.open(table, QuorumPolicy.fraction(Threshold.ALL), "A", "B", "C");
        b.yes(r1, "A");
        assertEquals(VoteEffect.SUSPECTED, b.no(r1, "A"));
        RoundId r2 = b.open(table, QuorumPolicy.fraction(Threshold.ALL), "A", "B", "C");
        b.yes(r2, "B");
        assertEquals(VoteEffect.SUSPECTED, b.no(r2, "B"));
        assertEquals(List.of(AbortReason.BYZANTINE, AbortReason.BYZANTINE),
                b.decisions.stream().map(Decision::reason).toList());
        // default reliability: trust 0 after equivocating, +50 permille per decided round: 1 * 50/1000 -> 0
        assertEquals(0, b.engine.effectiveWeight(c("A"), 1));
        assertEquals(0, b.engine.effectiveWeight(c("B"), 1));
        ConsensusException e = assertThrows(ConsensusException.class, () -> b.open(table, "A", "B"));
        assertTrue(e.getMessage().contains("total effective weight of its targets is 0"), e.getMessage());
    }

    @Test
    @DisplayName("C4: weights {A:1, B:2, C:1} at 2/3: B alone is 2/4, B and C are 3/4")
    void c4() {
        Bench b = new Bench();
        RoundId r = b.open(weights("A", 1, "B", 2, "C", 1));
        b.yes(r, "B");
        assertTrue(b.decisions.isEmpty());
        b.yes(r, "C");
        Decision d = b.only();
        assertEquals(Decision.Outcome.COMMIT, d.outcome());
        assertEquals(3, d.yesWeight());
        assertEquals(3, d.requiredWeight());
        assertEquals(4, d.totalWeight());
    }

    @Test
    @DisplayName("C5: a retransmitted yes is counted once and raises no flag")
    void c5() {
        Bench b = new Bench();
        RoundId r = b.open(equal("A", "B", "C"));
        assertEquals(VoteEffect.COUNTED, b.yes(r, "B"));
        assertEquals(VoteEffect.DUPLICATE, b.yes(r, "B"));
        assertTrue(b.decisions.isEmpty(), "B counted once: 1 of 3");
        b.yes(r, "A");
        assertEquals(Decision.Outcome.COMMIT, b.only().outcome());
        ConsensusStatistics s = b.engine.statistics();
        assertEquals(0, s.byzantineFaultsDetected());
        assertEquals(1, s.duplicateVotes());
        assertEquals(2, s.votesCounted());
        assertEquals(List.of(), b.only().faults());
    }

    @Test
    @DisplayName("C6: yes then no from B is equivocation: evidence holds both votes, B's weight leaves the round")
    void c6() {
        Bench b = new Bench();
        RoundId r = b.open(equal("A", "B", "C"));
        Vote first = new Vote(r, c("B"), Verdict.YES, Bench.DIGEST);
        Vote second = new Vote(r, c("B"), Verdict.NO, Bench.DIGEST);
        assertEquals(VoteEffect.COUNTED, b.engine.onVote(first));
        assertEquals(VoteEffect.SUSPECTED, b.engine.onVote(second));
        assertEquals(1, b.engine.statistics().byzantineFaultsDetected());
        assertEquals(VoteEffect.FROM_EXCLUDED, b.engine.onVote(first), "an excluded voter's votes are ignored");
        b.yes(r, "A");
        assertTrue(b.decisions.isEmpty(), "B's yes no longer counts: 1 of 3");
        b.yes(r, "C");
        Decision d = b.only();
        assertEquals(Decision.Outcome.COMMIT, d.outcome());
        assertEquals(List.of(c("A"), c("C")), d.acceptedBy());
        assertTrue(d.refusedBy().get(c("B")).startsWith("excluded: B equivocated"), d.refusedBy().toString());
        assertEquals(1, d.faults().size());
        EquivocationEvidence evidence = assertInstanceOf(EquivocationEvidence.class, d.faults().get(0).evidence());
        assertEquals(first, evidence.first());
        assertEquals(second, evidence.second());
        assertEquals("equivocation", d.faults().get(0).detector());
        assertEquals(1, b.engine.statistics().byzantineFaultsDetected());
    }

    @Test
    @DisplayName("C6: a yes for another digest after a yes is equivocation too")
    void c6Digest() {
        Bench b = new Bench();
        RoundId r = b.open(equal("A", "B", "C"));
        b.yes(r, "B");
        assertEquals(VoteEffect.SUSPECTED, b.engine.onVote(new Vote(r, c("B"), Verdict.YES, Bench.OTHER)));
        assertEquals(1, b.engine.statistics().byzantineFaultsDetected());
    }

    @Test
    @DisplayName("C7: X equivocates and is excluded; A+B is 2/4, the round waits for C; X's trust drops")
    void c7() {
        Bench b = new Bench();
        WeightTable table = equal("A", "B", "C", "X");
        RoundId r = b.open(table);
        b.yes(r, "A");
        b.yes(r, "X");
        assertEquals(VoteEffect.SUSPECTED, b.no(r, "X"));
        b.yes(r, "B");
        assertTrue(b.decisions.isEmpty(), "A+B = 2/4 < 2/3");
        b.yes(r, "C");
        Decision d = b.only();
        assertEquals(Decision.Outcome.COMMIT, d.outcome());
        assertEquals(List.of(c("A"), c("B"), c("C")), d.acceptedBy());
        assertEquals(Set.of(c("X")), d.refusedBy().keySet());
        assertEquals(1, b.engine.record(c("X")).equivocations());
        assertEquals(0, b.engine.effectiveWeight(c("X"), 1), "X untrusted in the next round");
        assertEquals(1, b.engine.effectiveWeight(c("A"), 1));

        RoundId next = b.open(table);
        b.yes(next, "X");
        b.yes(next, "A");
        assertEquals(1, b.decisions.size(), "X's yes carries no weight: 1 of 3");
        b.yes(next, "B");
        assertEquals(Decision.Outcome.COMMIT, b.last().outcome());
        assertEquals(3, b.last().totalWeight());
        assertEquals(2, b.last().requiredWeight());
    }

    @Test
    @DisplayName("C8: an equivocator's exclusion makes the quorum impossible -> ABORT(BYZANTINE) at once")
    void c8() {
        Bench b = new Bench();
        RoundId r = b.open(equal("A", "B", "C", "X"));
        b.yes(r, "A");
        b.yes(r, "X");
        b.no(r, "B");
        assertTrue(b.decisions.isEmpty(), "A+X = 2 of the required 3, C may still answer");
        b.no(r, "X");
        Decision d = b.only();
        assertEquals(Decision.Outcome.ABORT, d.outcome());
        assertEquals(AbortReason.BYZANTINE, d.reason());
        assertEquals(Duration.ZERO, d.elapsed(), "decided at once, not at the deadline");
        assertEquals(1, b.engine.statistics().aborts(AbortReason.BYZANTINE));
    }

    @Test
    @DisplayName("C8 as written: with three equal clusters, A and X reach 2/3 before X can equivocate")
    void c8Literal() {
        Bench b = new Bench();
        RoundId r = b.open(equal("A", "B", "X"));
        b.yes(r, "A");
        b.yes(r, "X");
        assertEquals(Decision.Outcome.COMMIT, b.only().outcome(), "2 of 3 reaches 2/3 (C1's arithmetic)");
        assertEquals(VoteEffect.SUSPECTED, b.no(r, "X"), "a late conflicting vote still reaches the detectors");
        assertEquals(1, b.decisions.size(), "the commit stands");
        assertEquals(1, b.engine.statistics().byzantineFaultsDetected(), "X is caught all the same");
        assertEquals(VoteEffect.LATE, b.no(r, "X"), "the same late vote again is just late");
        // for ABORT(BYZANTINE), X's conflicting vote must come before its yes would complete the quorum (a fresh
        // engine: in this one X is distrusted by now and weighs nothing)
        Bench fresh = new Bench();
        RoundId r2 = fresh.open(equal("A", "B", "X"));
        fresh.yes(r2, "A");
        fresh.no(r2, "X");
        assertEquals(VoteEffect.SUSPECTED, fresh.yes(r2, "X"));
        assertEquals(0, fresh.decisions.size(), "B can still make it 2/3");
        fresh.no(r2, "B");
        assertEquals(AbortReason.BYZANTINE, fresh.last().reason());
    }

    @Test
    @DisplayName("C9: no-votes that make the quorum unreachable abort at once with QUORUM_IMPOSSIBLE")
    void c9() {
        Bench b = new Bench();
        RoundId r = b.open(equal("A", "B", "C"));
        b.no(r, "B");
        assertTrue(b.decisions.isEmpty(), "A and C can still reach 2/3");
        b.no(r, "C");
        Decision d = b.only();
        assertEquals(AbortReason.QUORUM_IMPOSSIBLE, d.reason());
        assertEquals(Duration.ZERO, d.elapsed());
        assertEquals(Map.of(c("B"), "voted no: queue orders does not exist", c("C"),
                "voted no: queue orders does not exist"), d.refusedBy());
        assertEquals(List.of(c("A")), d.silent());
    }

    @Test
    @DisplayName("C10: stray and late votes are ignored and counted; the round is undisturbed")
    void c10() {
        Bench b = new Bench();
        RoundId r = b.open(equal("A", "B", "C"));
        assertEquals(VoteEffect.STRAY, b.yes(new RoundId(c("elsewhere"), 7), "A"));
        assertEquals(VoteEffect.STRAY, b.yes(r, "Z"));
        b.yes(r, "A");
        assertTrue(b.decisions.isEmpty());
        b.yes(r, "B");
        assertEquals(List.of(c("A"), c("B")), b.only().acceptedBy());
        assertEquals(VoteEffect.LATE, b.yes(r, "C"));
        ConsensusStatistics s = b.engine.statistics();
        assertEquals(2, s.strayVotes());
        assertEquals(1, s.lateVotes());
        assertEquals(2, s.votesCounted());
        assertEquals(1, s.commits());
    }

    @Test
    @DisplayName("C11: two rounds with interleaved votes decide on their own votes")
    void c11() {
        Bench b = new Bench();
        WeightTable table = equal("A", "B", "C");
        RoundId r1 = b.open(table);
        RoundId r2 = b.open(table);
        b.yes(r1, "A");
        b.no(r2, "B");
        b.no(r1, "C");
        b.yes(r2, "A");
        assertTrue(b.decisions.isEmpty());
        b.yes(r1, "B");
        assertEquals(r1, b.last().round());
        assertEquals(Decision.Outcome.COMMIT, b.last().outcome());
        assertTrue(b.engine.isOpen(r2));
        b.no(r2, "C");
        assertEquals(r2, b.last().round());
        assertEquals(AbortReason.QUORUM_IMPOSSIBLE, b.last().reason());
        assertEquals(List.of(c("A"), c("B")), b.decisions.get(0).acceptedBy());
        assertEquals(List.of(c("A")), b.decisions.get(1).acceptedBy());
    }

    @Test
    @DisplayName("C12: a voter that never answers -> ABORT(TIMEOUT) at the deadline; a later vote is ignored")
    void c12() {
        Bench b = new Bench();
        RoundId r = b.open(equal("A", "B", "C"), QuorumPolicy.fraction(Threshold.ALL), "A", "B", "C");
        b.yes(r, "A");
        b.yes(r, "B");
        assertEquals(b.now + Bench.TIMEOUT.toNanos(), b.engine.nextDeadline());
        b.advance(Bench.TIMEOUT.minusNanos(1));
        assertEquals(0, b.engine.expire());
        assertTrue(b.engine.isOpen(r));
        b.advance(Duration.ofNanos(1));
        assertEquals(1, b.engine.expire());
        Decision d = b.only();
        assertEquals(AbortReason.TIMEOUT, d.reason());
        assertEquals(Bench.TIMEOUT, d.elapsed());
        assertEquals(List.of(c("C")), d.silent());
        assertEquals(VoteEffect.LATE, b.yes(r, "C"));
        assertEquals(1, b.engine.record(c("C")).votesMissed());
        assertEquals(0, b.engine.record(c("A")).votesMissed());
        assertEquals(Long.MAX_VALUE, b.engine.nextDeadline());
    }

    @Test
    @DisplayName("C13: weight changes affect later rounds only; B=5 of 8 does not commit, B=10 of 13 does")
    void c13() {
        Bench b = new Bench();
        WeightTable v1 = equal("A", "B", "C", "D");
        WeightTable v2 = v1.withWeight(c("B"), 5);
        assertEquals(2, v2.version());
        assertEquals(8, v2.total());
        RoundId during = b.open(v2);
        WeightTable v3 = v2.withWeight(c("B"), 10);
        assertEquals(13, v3.total());
        b.yes(during, "B");
        assertTrue(b.decisions.isEmpty(), "5 of 8 < 2/3 (required 6), and v3 does not apply to this round");
        RoundId after = b.open(v3);
        b.yes(after, "B");
        Decision d = b.only();
        assertEquals(after, d.round());
        assertEquals(Decision.Outcome.COMMIT, d.outcome());
        assertEquals(10, d.yesWeight());
        assertEquals(9, d.requiredWeight());
        assertEquals(13, d.totalWeight());
        assertTrue(b.engine.isOpen(during));
    }

    @Test
    @DisplayName("C14: decisions after 100 ms and 300 ms -> mean 200 ms (not 175), p50/p99 from a histogram")
    void c14() {
        Bench b = new Bench();
        WeightTable table = equal("A");
        RoundId r1 = b.open(table);
        b.advance(Duration.ofMillis(100));
        b.yes(r1, "A");
        RoundId r2 = b.open(table);
        b.advance(Duration.ofMillis(300));
        b.yes(r2, "A");
        ConsensusStatistics s = b.engine.statistics();
        assertEquals(Duration.ofMillis(200), s.meanDecisionTime());
        assertWithin(Duration.ofMillis(100), s.p50DecisionTime());
        assertWithin(Duration.ofMillis(300), s.p99DecisionTime());
        assertEquals(Duration.ofMillis(300), s.maxDecisionTime());
        assertEquals(2, s.commits());
    }

    private static void assertWithin(Duration expected, Duration actual) {
        long e = expected.toNanos();
        long a = actual.toNanos();
        assertTrue(a >= e && a <= e + e / 128, "expected " + expected + " within 1/128, got " + actual);
    }

    @Test
    @DisplayName("C15: Byzantine quorums Q = floor((W+F)/2)+1, W < 3F+1 refused")
    void c15() {
        QuorumPolicy f1 = QuorumPolicy.byzantine(1);
        assertEquals(3, f1.requiredWeight(new long[] {1, 1, 1, 1}, 4));
        assertEquals(5, f1.requiredWeight(new long[] {2, 2, 1, 1, 1}, 7));
        ConsensusException e = assertThrows(ConsensusException.class,
                () -> f1.requiredWeight(new long[] {3, 2, 1, 1}, 7));
        assertTrue(e.getMessage().contains("W=7 < 3F+1 with f=1, F=3"), e.getMessage());

        Bench b = new Bench();
        RoundId r = b.open(equal("A", "B", "C", "D"), f1, "A", "B", "C", "D");
        b.yes(r, "A");
        b.yes(r, "B");
        assertTrue(b.decisions.isEmpty(), "2 < Q=3");
        b.yes(r, "C");
        assertEquals(3, b.only().requiredWeight());
        assertEquals(Decision.Outcome.COMMIT, b.only().outcome());
        assertThrows(ConsensusException.class,
                () -> b.open(weights("A", 3, "B", 2, "C", 1, "D", 1), f1, "A", "B", "C", "D"));
    }

    @Test
    @DisplayName("C16: voters with another weight table answer WEIGHTS_MISMATCH; enough of them abort with that reason")
    void c16() {
        WeightTable coordinatorTable = equal("A", "B", "C");
        WeightTable stale = WeightTable.of(0, coordinatorTable.asMap());
        Bench b = new Bench();
        RoundId r = b.open(coordinatorTable);
        Vote fromB = Ballot.cast(r, c("B"), Bench.DIGEST, stale, coordinatorTable.version(), coordinatorTable.hash(), null);
        Vote fromC = Ballot.cast(r, c("C"), Bench.DIGEST, stale, coordinatorTable.version(), coordinatorTable.hash(), null);
        Vote fromA = Ballot.cast(r, c("A"), Bench.DIGEST, coordinatorTable, coordinatorTable.version(),
                coordinatorTable.hash(), null);
        assertEquals(Verdict.WEIGHTS_MISMATCH, fromB.verdict());
        assertTrue(fromB.reason().contains("local weight table v0"), fromB.reason());
        assertEquals(Verdict.YES, fromA.verdict());
        b.engine.onVote(fromA);
        b.engine.onVote(fromB);
        assertTrue(b.decisions.isEmpty());
        b.engine.onVote(fromC);
        assertEquals(AbortReason.WEIGHTS_MISMATCH, b.only().reason());
        assertTrue(b.only().refusedBy().get(c("B")).startsWith("weights mismatch: local weight table v0"));

        Bench ok = new Bench();
        RoundId r2 = ok.open(coordinatorTable);
        ok.engine.onVote(Ballot.cast(r2, c("B"), Bench.DIGEST, stale, coordinatorTable.version(),
                coordinatorTable.hash(), null));
        ok.yes(r2, "A");
        ok.yes(r2, "C");
        assertEquals(Decision.Outcome.COMMIT, ok.only().outcome(), "one mismatch alone does not stop 2/3");
    }

    @Test
    @DisplayName("a voter that departs mid-round loses its weight; the round aborts at once when that decides it")
    void departure() {
        Bench b = new Bench();
        RoundId r = b.open(equal("A", "B", "C"));
        b.yes(r, "A");
        assertEquals(1, b.engine.departed(c("B"), "node stopped"));
        assertTrue(b.decisions.isEmpty());
        b.engine.departed(c("C"), "link down");
        assertEquals(AbortReason.QUORUM_IMPOSSIBLE, b.only().reason());
        assertEquals("departed: link down", b.only().refusedBy().get(c("C")));
        assertEquals(1, b.engine.record(c("C")).votesMissed());
    }

    @Test
    @DisplayName("cancel aborts with CANCELLED; a second cancel and a duplicate id are refused")
    void cancel() {
        Bench b = new Bench();
        RoundId r = b.open(equal("A", "B"));
        assertTrue(b.engine.cancel(r));
        assertFalse(b.engine.cancel(r));
        assertEquals(AbortReason.CANCELLED, b.only().reason());
        ConsensusException e = assertThrows(ConsensusException.class, () -> b.engine.open(RoundSpec.of(r, Bench.DIGEST,
                Set.of(c("A")), equal("A"), QuorumPolicy.fraction(Threshold.TWO_THIRDS), Bench.TIMEOUT)));
        assertTrue(e.getMessage().contains("already opened"), e.getMessage());
    }

    @Test
    @DisplayName("the engine admits at most maxOpenRounds rounds and says so")
    void admission() {
        ConsensusEngine engine = ConsensusEngine.builder().ticker(() -> 0).maxOpenRounds(2).build();
        WeightTable table = equal("A");
        for (int i = 0; i < 2; i++) {
            engine.open(RoundSpec.of(new RoundId(c("x"), i), Bench.DIGEST, Set.of(c("A")), table,
                    QuorumPolicy.fraction(Threshold.TWO_THIRDS), Bench.TIMEOUT));
        }
        ConsensusException e = assertThrows(ConsensusException.class, () -> engine.open(RoundSpec.of(
                new RoundId(c("x"), 2), Bench.DIGEST, Set.of(c("A")), table,
                QuorumPolicy.fraction(Threshold.TWO_THIRDS), Bench.TIMEOUT)));
        assertEquals(AbortReason.REJECTED, e.reason());
        assertTrue(e.getMessage().contains("2 rounds are open, the limit is 2"), e.getMessage());
    }

    @Test
    @DisplayName("a fault detector that throws is switched off for the round and counted")
    void brokenDetector() {
        long[] now = {0};
        List<Decision> decisions = new java.util.ArrayList<>();
        ConsensusEngine engine = ConsensusEngine.builder().ticker(() -> now[0]).listener(decisions::add)
                .detectors(List.of(view -> (i, v) -> {
                    throw new IllegalStateException("boom");
                })).build();
        RoundId r = new RoundId(c("x"), 0);
        engine.open(RoundSpec.of(r, Bench.DIGEST, Set.of(c("A"), c("B")), equal("A", "B"),
                QuorumPolicy.fraction(Threshold.TWO_THIRDS), Bench.TIMEOUT));
        engine.onVote(new Vote(r, c("A"), Verdict.YES, Bench.DIGEST));
        engine.onVote(new Vote(r, c("B"), Verdict.YES, Bench.DIGEST));
        assertEquals(1, engine.statistics().detectorErrors());
        assertEquals(Decision.Outcome.COMMIT, decisions.get(0).outcome());
        assertEquals(List.of(ClusterId.of("A"), ClusterId.of("B")), decisions.get(0).acceptedBy());
    }

    @Test
    @DisplayName("a weighting strategy or detector that throws when a round opens refuses the round, naming it")
    void pluginThatThrowsAtOpen() {
        io.mpreg.api.spi.weighting.WeightingStrategy broken = (cluster, configured, record) -> {
            throw new IllegalStateException("no weights today");
        };
        ConsensusEngine engine = ConsensusEngine.builder().ticker(() -> 0).listener(d -> { }).weighting(broken)
                .build();
        RoundId r = new RoundId(c("x"), 0);
        ConsensusException e = assertThrows(ConsensusException.class, () -> engine.open(RoundSpec.of(r,
                Bench.DIGEST, Set.of(c("A")), equal("A"), QuorumPolicy.fraction(Threshold.TWO_THIRDS),
                Bench.TIMEOUT)));
        assertEquals(AbortReason.REJECTED, e.reason());
        assertEquals(broken.getClass().getName(), e.plugin());
        assertEquals("weighting strategy " + broken.getClass().getName() + " failed opening round " + r
                + ": java.lang.IllegalStateException: no weights today", e.getMessage());
        assertEquals(0, engine.openRounds());

        io.mpreg.api.spi.fault.FaultDetector detector = view -> {
            throw new UnsupportedOperationException("cannot watch");
        };
        ConsensusEngine watched = ConsensusEngine.builder().ticker(() -> 0).listener(d -> { })
                .detectors(List.of(detector)).build();
        ConsensusException w = assertThrows(ConsensusException.class, () -> watched.open(RoundSpec.of(r,
                Bench.DIGEST, Set.of(c("A")), equal("A"), QuorumPolicy.fraction(Threshold.TWO_THIRDS),
                Bench.TIMEOUT)));
        assertEquals(detector.getClass().getName(), w.plugin());
        assertTrue(w.getMessage().startsWith("fault detector "), w.getMessage());
        assertEquals(0, watched.openRounds());
        assertEquals(null, new ConsensusException(AbortReason.REJECTED, "full").plugin());
    }
}
