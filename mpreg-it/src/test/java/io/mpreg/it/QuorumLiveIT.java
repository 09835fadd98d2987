package io.mpreg.it;

import io.mpreg.tck.Await;
import io.mpreg.api.AbortReason;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.Threshold;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.FederationStatistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static io.mpreg.it.LiveFederation.c;
import static io.mpreg.it.LiveFederation.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SCENARIOS F1, F2, F4 and F11 live: voted delivery between three clusters, over tcp and over jgroups. */
class QuorumLiveIT {
    private final SplittableRandom random = new SplittableRandom(7);

    private Message message(String queue, String text) {
        return Message.builder(queue).payload(text.getBytes(StandardCharsets.UTF_8)).build(random);
    }


    private static DeliveryOptions quorum(int... targets) {
        DeliveryOptions o = DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM);
        List<io.mpreg.api.ClusterId> t = new ArrayList<>();
        for (int c : targets) {
            t.add(c(c));
        }
        return o.withTargets(t);
    }


    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void f1GlobalQuorumCommitsAndEachClusterDeliversOnce(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 3).start()) {
            f.awaitFullyConnected();
            List<List<Delivery>> got = List.of(f.subscribe(1, "orders"), f.subscribe(2, "orders"),
                    f.subscribe(3, "orders"));
            DeliveryResult r = LiveFederation.outcome(f.node(1).send(message("orders", "agreed"), quorum(1, 2, 3)));
            assertTrue(r.success(), r.toString());
            assertTrue(r.committedTo().size() >= 2, "2/3 of the weight commits: " + r.committedTo());
            // the initiator votes for itself; it is in the certificate if its signed vote came before the quorum did
            assertEquals(r.committedTo(), r.deliveredTo());
            assertEquals(r.committedTo(), r.certificate().committedTo(), "committed to exactly its certificate");
            assertEquals(java.util.Optional.empty(), r.certificate().verify(LiveFederation.publicVoteKeys(3)));
            for (int i = 1; i <= 3; i++) {
                List<Delivery> g = got.get(i - 1);
                if (r.committedTo().contains(c(i))) {
                    Await.until(PATIENCE, "c" + i + ", in the certificate, delivers on COMMIT", () -> g.size() == 1);
                    assertEquals(List.of("agreed"), texts(g));
                }
            }
            FederationStatistics s = f.node(1).statistics();
            assertEquals(1, s.roundsCommitted());
            assertEquals(0, s.roundsAborted());
            assertEquals(0, s.byzantineFaultsDetected());
            assertEquals(0, s.openRounds());
            assertEquals(FederationStatistics.Health.HEALTHY, s.health(), s.healthReasons().toString());
            assertEquals(Duration.ofSeconds(30), f.node(1).defaultTimeout(), "30 s until 100 sends have completed");
            for (int i = 1; i <= 3; i++) { // a yes vote too late for the certificate: the message is not committed there
                assertEquals(r.committedTo().contains(c(i)) ? 1 : 0, got.get(i - 1).size(), "c" + i);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void f2ATargetWithoutTheQueueVotesNoAndAFailedQuorumDeliversNowhere(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 3).start()) {
            f.awaitFullyConnected();
            List<Delivery> at1 = f.subscribe(1, "orders");
            List<Delivery> at2 = f.subscribe(2, "orders"); // c3 has no such queue
            DeliveryResult r = LiveFederation.outcome(f.node(1).send(message("orders", "refused"),
                    quorum(1, 2, 3).withThreshold(Threshold.of(1, 1))));
            assertFalse(r.success());
            assertEquals(AbortReason.QUORUM_IMPOSSIBLE, r.abortReason());
            assertEquals("voted no: no queue 'orders' on cluster c3", r.failures().get(c(3)));
            assertEquals(Set.of(), r.committedTo());
            // a committed round behind it on the same links: once it is delivered, the abort was applied before
            DeliveryResult barrier = LiveFederation.outcome(f.node(1).send(message("orders", "after"), quorum(1, 2)));
            assertTrue(barrier.success(), barrier.toString());
            Await.until(PATIENCE, "the later message delivered at c1 and c2", () -> at1.size() == 1 && at2.size() == 1);
            assertEquals(List.of("after"), texts(at1), "the aborted message was never delivered");
            assertEquals(List.of("after"), texts(at2));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void f4ATargetStoppedMidRoundCommitsWithoutItOrAbortsBeforeTheDeadline(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 3).start()) {
            f.awaitFullyConnected();
            f.subscribe(1, "orders");
            f.subscribe(2, "orders");
            f.subscribe(3, "orders");
            f.gate.block(f.id(3), f.id(1)); // c3's vote never arrives: the rounds wait for it
            f.gate.block(f.id(3), f.id(2));
            Duration timeout = Duration.ofSeconds(20);
            var unanimous = f.node(1).send(message("orders", "all"), quorum(1, 2, 3)
                    .withThreshold(Threshold.of(1, 1)).withTimeout(timeout));
            Await.until(PATIENCE, "c1 and c2 voted", () -> f.node(1).openRounds().size() == 1
                    && f.node(1).openRounds().get(0).answers().equals(Map.of(c(1), "YES", c(2), "YES", c(3), "WAITING")),
                    () -> f.node(1).openRounds());
            var live = f.node(1).openRounds().get(0);
            assertEquals(2, live.yesWeight());
            assertEquals(3, live.required());
            assertFalse(live.hasQuorum());
            assertEquals(Set.of(), live.suspects());
            long stoppedAt = System.nanoTime();
            f.node(3).close();
            DeliveryResult aborted = LiveFederation.outcome(unanimous);
            assertEquals(AbortReason.QUORUM_IMPOSSIBLE, aborted.abortReason(), aborted.toString());
            assertTrue(aborted.failures().get(c(3)).contains("unreachable from c1"), aborted.failures().toString());
            assertTrue(System.nanoTime() - stoppedAt < timeout.toNanos(), "decided before the deadline");
            f.awaitReach(1, 1, 2);
            DeliveryResult committed = LiveFederation.outcome(f.node(1).send(message("orders", "most"), quorum(1, 2, 3)));
            assertTrue(committed.success(), "c1 and c2 are 2/3: " + committed);
            assertEquals(Set.of(c(1), c(2)), committed.committedTo());
            assertEquals(0, f.node(1).statistics().openRounds(), "nothing left hanging");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void f11ExcessRoundsWaitInABoundedQueueAndBeyondItAreRefused(String transport) throws Exception {
        // every send a round of its own (batching off): sends that come together would otherwise share rounds, and
        // the bounds count rounds
        try (LiveFederation f = new LiveFederation(transport, 3, (id, b) -> b.admission(2, 2).batching(false))
                .start()) {
            f.awaitFullyConnected();
            List<Delivery> at2 = f.subscribe(2, "orders");
            f.subscribe(1, "orders");
            f.subscribe(3, "orders");
            f.gate.block(f.id(2), f.id(1)); // votes from c2 and c3 are held up: rounds stay open
            f.gate.block(f.id(3), f.id(1));
            List<CompletableFuture<DeliveryResult>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(f.node(1).send(message("orders", "m" + i), quorum(1, 2, 3)));
            }
            for (int i = 4; i < 6; i++) {
                DeliveryResult refused = LiveFederation.outcome(futures.get(i));
                assertEquals(AbortReason.REJECTED, refused.abortReason());
                assertEquals(Map.of(c(1), "coordinator c1 is full: 2 rounds open and 2 waiting (limits 2 and 2)"),
                        refused.failures());
            }
            assertEquals(2, f.node(1).statistics().openRounds());
            assertEquals(2, f.node(1).statistics().roundsRefused());
            assertFalse(futures.get(0).isDone() || futures.get(3).isDone());
            f.gate.restore();
            Set<String> committedAt2 = new java.util.TreeSet<>();
            for (int i = 0; i < 4; i++) {
                DeliveryResult admitted = LiveFederation.outcome(futures.get(i));
                assertTrue(admitted.success(), "admitted round " + i);
                if (admitted.committedTo().contains(c(2))) {
                    committedAt2.add("m" + i);
                }
            }
            Await.until(PATIENCE, "c2 delivered the admitted messages committed to it",
                    () -> at2.size() == committedAt2.size());
            assertEquals(committedAt2, Set.copyOf(texts(at2)));
        }
    }

    @org.junit.jupiter.api.Test
    void closingACoordinatorCancelsTheRoundsOpenAndWaitingAlike() throws Exception {
        try (LiveFederation f = new LiveFederation("tcp", 3, (id, b) -> b.admission(1, 2)).start()) {
            f.awaitFullyConnected();
            f.subscribe(1, "orders");
            f.subscribe(2, "orders");
            f.gate.block(f.id(2), f.id(1)); // c2's votes are held up: the round stays open, the others wait
            f.gate.block(f.id(2), f.id(3));
            List<CompletableFuture<DeliveryResult>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(f.node(1).send(message("orders", "m" + i), quorum(1, 2)));
            }
            Await.until(PATIENCE, "one round open", () -> f.node(1).statistics().openRounds() == 1);
            f.node(1).close();
            for (CompletableFuture<DeliveryResult> future : futures) {
                DeliveryResult r = LiveFederation.outcome(future);
                assertFalse(r.success());
                assertEquals(AbortReason.CANCELLED, r.abortReason(), r.toString());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void f10AQuorumOfItselfCommits(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 1).start()) {
            List<Delivery> got = f.subscribe(1, "solo");
            DeliveryResult r = LiveFederation.outcome(f.node(1).send(message("solo", "me"), quorum(1)));
            assertTrue(r.success(), r.toString());
            assertEquals(Set.of(c(1)), r.committedTo());
            DeliveryResult b = LiveFederation.outcome(f.node(1).send(message("solo", "byz"),
                    DeliveryOptions.of(DeliveryGuarantee.BYZANTINE_QUORUM).withTargets(c(1)).withByzantineTolerance(0)));
            assertTrue(b.success(), b.toString());
            Await.until(PATIENCE, "both delivered", () -> got.size() == 2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void aWeightTableChangedAtOneNodeSpreadsByGossipAndChangesTheOutcome(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 3, (id, b) -> b.weightProposers(List.of(c(1)))).start()) {
            f.awaitFullyConnected();
            f.subscribe(2, "orders"); // c3 has no such queue: it votes no
            DeliveryResult before = LiveFederation.outcome(f.node(1).send(message("orders", "1 of 2"), quorum(2, 3)));
            assertEquals(AbortReason.QUORUM_IMPOSSIBLE, before.abortReason(), "c2 alone is 1 of 2 < 2/3");
            long version = f.node(1).updateWeights(Map.of(c(1), 1L, c(2), 5L, c(3), 1L));
            assertEquals(2, version);
            for (int i = 1; i <= 3; i++) {
                int at = i;
                Await.until(PATIENCE, "c" + at + " counts with v2 and sees everyone agree",
                        () -> f.node(at).weightTableVersion() == 2 && f.node(at).weightTableAgreement().size() == 2
                                && !f.node(at).weightTableAgreement().containsValue(false),
                        () -> f.node(at).weightTableAgreement());
            }
            DeliveryResult after = LiveFederation.outcome(f.node(1).send(message("orders", "5 of 6"), quorum(2, 3)));
            assertTrue(after.success(), "c2 weighs 5 of 6 now: " + after);
            assertEquals(Set.of(c(2)), after.committedTo());
        }
    }
}
