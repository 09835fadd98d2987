package io.mpreg.it;

import io.mpreg.api.AbortReason;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.Threshold;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.internal.wire.WireMessage;
import io.mpreg.federation.queue.SubscribeOptions;
import io.mpreg.tck.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static io.mpreg.it.LiveFederation.c;
import static io.mpreg.it.LiveFederation.outcome;
import static io.mpreg.it.LiveFederation.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCENARIOS D6 and D7 live over tcp: three clusters, each node with its own data directory, a voted round cut at the
 * worst moment by blocking its frames, and a node restarted (closed and started again from its directory) in between.
 * Each restart here is a clean close; what the rounds need on disk is synced before any vote or decision leaves, and
 * the process-kill cases of the queues run in {@link ProcessKillIT}.
 */
class DurableVotingIT {
    private static final int VOTE = 7;
    private static final int DECISION = 8;
    private static final Duration LONG_ROUND = Duration.ofSeconds(25);

    private final SplittableRandom random = new SplittableRandom(19);
    @TempDir
    Path data;

    private LiveFederation federation() {
        return new LiveFederation("tcp", 3, (id, b) -> b.dataDirectory(data.resolve(id.cluster().value()))
                .logSegmentBytes(64 * 1024)).start();
    }

    private Message message(String text) {
        return Message.builder("orders").payload(text.getBytes(StandardCharsets.UTF_8)).build(random);
    }

    /** Every target must vote yes: a round cannot commit without the one whose vote a test holds up. */
    private static DeliveryOptions unanimous(int... targets) {
        List<io.mpreg.api.ClusterId> t = java.util.Arrays.stream(targets).mapToObj(LiveFederation::c).toList();
        return DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM).withTargets(t).withThreshold(Threshold.of(1, 1))
                .withTimeout(LONG_ROUND);
    }

    private static List<Delivery> subscribe(FederationNode node) {
        List<Delivery> got = new CopyOnWriteArrayList<>();
        node.subscribe("orders", SubscribeOptions.automaticAcks().withLocalOnly(true), got::add);
        return got;
    }

    /** A message sent to c2's own queue is refused: every slot of it is kept for the rounds c2 voted yes in. */
    private void assertQueueFull(FederationNode c2, int capacity) throws Exception {
        DeliveryResult local = c2.send(message("local"), DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)
                .withTargets(c(2))).get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertFalse(local.success(), local.toString());
        assertEquals("queue 'orders' on cluster c2 is full (capacity " + capacity + " messages)",
                local.failures().get(c(2)));
    }

    private static boolean sentVote(LiveFederation f, int from, int to) {
        return !WireTap.recorded(f, from, to, WireMessage.VoteFrame.class, v -> true).isEmpty();
    }

    @Test
    void d6ATargetRestartedAfterItsYesVoteHoldsTheMessageAndItsSlotAndDeliversOnCommit() throws Exception {
        try (LiveFederation f = federation()) {
            f.awaitDirectLinks();
            f.node(2).createQueue(QueueConfig.fifo("orders").withCapacity(1));
            f.node(3).createQueue(QueueConfig.fifo("orders"));
            f.gate.blockType(f.id(3), f.id(1), VOTE); // c3's vote never arrives: the round waits for it
            f.gate.blockType(f.id(3), f.id(2), VOTE);
            CompletableFuture<DeliveryResult> round = f.node(1).send(message("held"), unanimous(2, 3));
            Await.until(PATIENCE, "c2's yes vote counted", () -> f.node(1).openRounds().size() == 1
                    && "YES".equals(f.node(1).openRounds().get(0).answers().get(c(2))), () -> f.node(1).openRounds());

            FederationNode c2 = f.restart(2);
            // its yes vote keeps the queue's only slot
            assertQueueFull(c2, 1);
            List<Delivery> at2 = subscribe(c2);
            f.gate.restore();

            DeliveryResult r = outcome(round);
            assertTrue(r.success(), r.toString());
            assertEquals(Set.of(c(2), c(3)), r.committedTo());
            Await.until(PATIENCE, "c2 delivers what it held across its restart", () -> at2.size() == 1);
            DeliveryResult after = outcome(f.node(1).send(message("after"), unanimous(2, 3)));
            assertTrue(after.success(), after.toString());
            Await.until(PATIENCE, "the next round delivered at c2", () -> at2.size() == 2);
            assertEquals(List.of("held", "after"), texts(at2), "delivered once");
            assertEquals(0, f.node(1).statistics().byzantineFaultsDetected());
            assertEquals(List.of(), f.node(1).equivocationEvidence());
        }
    }

    /**
     * As above for a round that decides three messages (c1's loop paused while they are sent, so they share it): the
     * restarted target holds all three again, with a slot each, and delivers all three on the commit.
     */
    @Test
    void d6ATargetRestartedAfterItsYesVoteInASharedRoundHoldsEveryMessageOfIt() throws Exception {
        PausableLoop c1Loop = new PausableLoop("paused-c1");
        try (LiveFederation f = new LiveFederation("tcp", 3, (id, b) -> {
            b.dataDirectory(data.resolve(id.cluster().value())).logSegmentBytes(64 * 1024);
            return id.cluster().value().equals("c1") ? b.eventLoop(c1Loop) : b;
        }).start()) {
            f.awaitDirectLinks();
            f.node(2).createQueue(QueueConfig.fifo("orders").withCapacity(3));
            f.node(3).createQueue(QueueConfig.fifo("orders"));
            f.gate.blockType(f.id(3), f.id(1), VOTE); // c3's vote never arrives: the round waits for it
            f.gate.blockType(f.id(3), f.id(2), VOTE);
            List<CompletableFuture<DeliveryResult>> round = new java.util.ArrayList<>();
            c1Loop.pause();
            try {
                for (String text : List.of("one", "two", "three")) {
                    round.add(f.node(1).send(message(text), unanimous(2, 3)));
                }
            } finally {
                c1Loop.resume();
            }
            Await.until(PATIENCE, "c2's yes vote counted", () -> f.node(1).openRounds().size() == 1
                    && "YES".equals(f.node(1).openRounds().get(0).answers().get(c(2))), () -> f.node(1).openRounds());
            assertEquals(1, f.node(1).statistics().sharedRounds(), "the three share one round");

            FederationNode c2 = f.restart(2);
            // its yes vote keeps all three slots of the queue
            assertQueueFull(c2, 3);
            List<Delivery> at2 = subscribe(c2);
            f.gate.restore();

            for (CompletableFuture<DeliveryResult> each : round) {
                DeliveryResult r = outcome(each);
                assertTrue(r.success(), r.toString());
                assertEquals(Set.of(c(2), c(3)), r.committedTo());
                assertEquals(3, r.certificate().roundMessages().size());
            }
            Await.until(PATIENCE, "c2 delivers the three it held across its restart", () -> at2.size() == 3);
            assertEquals(List.of("one", "two", "three"), texts(at2), "each once, in order");
            assertEquals(0, f.node(1).statistics().byzantineFaultsDetected());
        }
    }

    @Test
    void d6ARetransmittedPrepareAfterTheTargetsRestartGetsTheIdenticalVote() throws Exception {
        try (LiveFederation f = federation()) {
            f.awaitDirectLinks();
            f.node(1).createQueue(QueueConfig.fifo("orders"));
            f.node(2).createQueue(QueueConfig.fifo("orders").withCapacity(1));
            f.node(3).createQueue(QueueConfig.fifo("orders"));
            f.gate.record(f.id(2), f.id(1));
            for (int voter : new int[] {2, 3}) { // neither vote arrives: c1 keeps preparing both
                for (int to : new int[] {1, 2, 3}) {
                    if (to != voter) {
                        f.gate.blockType(f.id(voter), f.id(to), VOTE);
                    }
                }
            }
            CompletableFuture<DeliveryResult> round = f.node(1).send(message("held"),
                    DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM).withTargets(c(1), c(2), c(3))
                            .withThreshold(Threshold.of(2, 3)).withTimeout(LONG_ROUND));
            Await.until(PATIENCE, "c2 voted", () -> sentVote(f, 2, 1));

            FederationNode c2 = f.restart(2);
            // the queue's only slot is still kept for the round: had c2 forgotten its vote, this message would take
            // the slot and the PREPARE c1 sends again would get a second, different vote (no: the queue is full)
            assertQueueFull(c2, 1);
            List<Delivery> at2 = subscribe(c2);
            for (int to : new int[] {1, 3}) {
                f.gate.unblockType(f.id(2), f.id(to), VOTE); // c2's answer to the retransmitted PREPARE gets through
            }

            DeliveryResult r = outcome(round);
            assertTrue(r.success(), r.toString());
            assertEquals(Set.of(c(1), c(2)), r.committedTo(), "c2's vote from before its restart, sent again");
            Await.until(PATIENCE, "c2 delivers what it held", () -> at2.size() == 1);
            assertEquals(List.of("held"), texts(at2));
            assertEquals(0, f.node(1).statistics().byzantineFaultsDetected());
            assertEquals(List.of(), f.node(1).equivocationEvidence());
        }
    }

    @Test
    void d7ACoordinatorRestartedAfterCommitTellsEveryYesVoterOnce() throws Exception {
        try (LiveFederation f = federation()) {
            f.awaitDirectLinks();
            List<Delivery> at2 = f.subscribe(2, "orders");
            List<Delivery> at3 = f.subscribe(3, "orders");
            for (int from : new int[] {1, 2, 3}) { // no target hears the decision (c1 may send it by way of another)
                for (int to : new int[] {1, 2, 3}) {
                    if (from != to) {
                        f.gate.blockType(f.id(from), f.id(to), DECISION);
                    }
                }
            }
            DeliveryResult r = outcome(f.node(1).send(message("decided"), unanimous(2, 3)));
            assertTrue(r.success(), r.toString());
            assertEquals(Set.of(c(2), c(3)), r.committedTo());
            assertEquals(List.of(), texts(at2));
            assertEquals(List.of(), texts(at3));

            f.restart(1);
            f.gate.restore();
            Await.until(PATIENCE, "c2 and c3 learn the COMMIT from the restarted coordinator",
                    () -> at2.size() == 1 && at3.size() == 1);
            DeliveryResult after = outcome(f.node(1).send(message("after"), unanimous(2, 3)));
            assertTrue(after.success(), after.toString());
            Await.until(PATIENCE, "the next round delivered", () -> at2.size() == 2 && at3.size() == 2);
            assertEquals(List.of("decided", "after"), texts(at2), "delivered once");
            assertEquals(List.of("decided", "after"), texts(at3));
        }
    }

    @Test
    void d7ACoordinatorRestartedBeforeDecidingEndsTheRoundAsAbortAtEveryTarget() throws Exception {
        try (LiveFederation f = federation()) {
            f.awaitDirectLinks();
            f.node(2).createQueue(QueueConfig.fifo("orders").withCapacity(1));
            f.node(3).createQueue(QueueConfig.fifo("orders").withCapacity(1));
            f.gate.record(f.id(2), f.id(1));
            f.gate.blockType(f.id(3), f.id(1), VOTE); // c3's vote never arrives: c1 cannot decide
            f.gate.blockType(f.id(3), f.id(2), VOTE);
            CompletableFuture<DeliveryResult> undecided = f.node(1).send(message("undecided"), unanimous(2, 3));
            Await.until(PATIENCE, "c2 voted", () -> sentVote(f, 2, 1));
            Await.until(PATIENCE, "c2's vote counted", () -> f.node(1).openRounds().size() == 1
                    && "YES".equals(f.node(1).openRounds().get(0).answers().get(c(2))), () -> f.node(1).openRounds());

            f.restart(1);
            DeliveryResult cancelled = outcome(undecided);
            assertFalse(cancelled.success());
            assertEquals(AbortReason.CANCELLED, cancelled.abortReason());
            f.gate.restore();
            // c2 and c3 each keep their queue's only slot for the round until they hear its end: a round behind it
            // commits only once both heard ABORT
            DeliveryResult next = null;
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline && (next == null || !next.success())) {
                next = outcome(f.node(1).send(message("next"), unanimous(2, 3).withTimeout(Duration.ofSeconds(2))));
            }
            assertTrue(next != null && next.success(), String.valueOf(next));
            List<Delivery> at2 = subscribe(f.node(2));
            List<Delivery> at3 = subscribe(f.node(3));
            Await.until(PATIENCE, "the next round delivered", () -> at2.size() == 1 && at3.size() == 1);
            assertEquals(List.of("next"), texts(at2), "the undecided round was never delivered");
            assertEquals(List.of("next"), texts(at3));
            assertEquals(0, f.node(2).statistics().roundsInDoubt(), "ended by the coordinator, no longer in doubt");
            assertEquals(0, f.node(3).statistics().roundsInDoubt());
        }
    }

    @Test
    void d8CausalOrderHoldsAcrossASendersAndAReceiversRestart() throws Exception {
        try (LiveFederation f = federation()) {
            f.awaitDirectLinks();
            f.node(2).createQueue(QueueConfig.fifo("orders"));
            DeliveryOptions causal = DeliveryOptions.of(DeliveryGuarantee.CAUSAL);
            for (String text : List.of("a1", "a2", "a3")) {
                DeliveryResult r = outcome(f.node(1).send(message(text), causal));
                assertTrue(r.success(), r.toString());
            }
            f.restart(1); // the sender: its later messages follow a3, they are not taken for copies of a1 and a2
            f.awaitDirectLinks();
            for (String text : List.of("b1", "b2")) {
                DeliveryResult r = outcome(f.node(1).send(message(text), causal));
                assertTrue(r.success(), r.toString());
            }
            f.restart(2); // the receiver: it knows what it delivered, and does not wait for a1 to a3 again
            f.awaitDirectLinks();
            DeliveryResult last = outcome(f.node(1).send(message("c1"), causal));
            assertTrue(last.success(), last.toString());
            List<Delivery> at2 = subscribe(f.node(2));
            Await.until(PATIENCE, "c2 delivers all six", () -> at2.size() == 6, () -> texts(at2));
            assertEquals(List.of("a1", "a2", "a3", "b1", "b2", "c1"), texts(at2));
        }
    }
}
