package io.mpreg.it;

import io.mpreg.tck.Await;
import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.NodeId;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.queue.AckOutcome;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.QueueStatistics;
import io.mpreg.federation.queue.SubscribeOptions;
import io.mpreg.tck.LoopbackPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SCENARIOS Q3-Q7 through a real node's API (a federation of one over tcp): the queue semantics end to end. */
class QueuesNodeIT {
    private final SplittableRandom random = new SplittableRandom(3);
    private FederationNode node;

    @BeforeEach
    void start() {
        node = FederationNode.builder().federation("queues").node(NodeId.of("c1", "gw")).listen(LoopbackPorts.next())
                .transport("tcp").insecure(true).weights(1, Map.of(ClusterId.of("c1"), 1L)).build().start();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private Message message(String queue, String text, int priority, Duration delay) {
        return Message.builder(queue).payload(text.getBytes(StandardCharsets.UTF_8)).priority(priority).delay(delay)
                .build(random);
    }

    private DeliveryResult send(Message m) throws Exception {
        return node.send(m, DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)).get(30, TimeUnit.SECONDS);
    }

    private boolean accepted(Message m) {
        try {
            return send(m).success();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(Delivery d) {
        return new String(d.message().payload(), StandardCharsets.UTF_8);
    }

    private QueueStatistics stats(String queue) {
        return node.queueStatistics().get(queue);
    }

    @Test
    void q3PriorityQueueServesHighestFirstAndFifoKeepsOrder() throws Exception {
        node.createQueue(QueueConfig.priority("urgent"));
        node.createQueue(QueueConfig.fifo("plain"));
        for (int p : new int[]{1, 10, 5, 15}) {
            assertEquals(true, send(message("urgent", "p" + p, p, Duration.ZERO)).success());
            assertEquals(true, send(message("plain", "p" + p, p, Duration.ZERO)).success());
        }
        List<String> urgent = new CopyOnWriteArrayList<>();
        List<String> plain = new CopyOnWriteArrayList<>();
        node.subscribe("urgent", d -> urgent.add(text(d)));
        node.subscribe("plain", d -> plain.add(text(d)));
        Await.until(PATIENCE, "all consumed", () -> urgent.size() == 4 && plain.size() == 4);
        assertEquals(List.of("p15", "p10", "p5", "p1"), urgent);
        assertEquals(List.of("p1", "p10", "p5", "p15"), plain);
    }

    @Test
    void q3DelayedMessagesArriveInDelayOrderAndNoneEarly() throws Exception {
        node.createQueue(QueueConfig.fifo("later"));
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        List<String> order = new CopyOnWriteArrayList<>();
        node.subscribe("later", d -> {
            arrived.put(text(d), System.nanoTime());
            order.add(text(d));
        });
        long sentAt = System.nanoTime();
        for (double seconds : new double[]{2.0, 1.0, 0.5}) {
            send(message("later", String.valueOf(seconds), 0, Duration.ofMillis((long) (seconds * 1000))));
        }
        Await.until(PATIENCE, "all three arrived", () -> order.size() == 3, () -> order);
        assertEquals(List.of("0.5", "1.0", "2.0"), order);
        for (String s : order) {
            long waited = arrived.get(s) - sentAt;
            assertTrue(waited >= (long) (Double.parseDouble(s) * 1e9), s + " arrived after " + waited / 1e6 + " ms");
        }
    }

    @Test
    void q4CompetingConsumersShareAQueueAndBroadcastReachesEachOfThem() throws Exception {
        node.createQueue(QueueConfig.fifo("work"));
        List<List<String>> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<String> mine = new CopyOnWriteArrayList<>();
            got.add(mine);
            node.subscribe("work", SubscribeOptions.automaticAcks().withPrefetch(4), d -> mine.add(text(d)));
        }
        List<CompletableFuture<DeliveryResult>> sends = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sends.add(node.send(message("work", "m" + i, 0, Duration.ZERO),
                    DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)));
        }
        for (CompletableFuture<DeliveryResult> s : sends) {
            assertEquals(true, s.get(30, TimeUnit.SECONDS).success());
        }
        Await.until(PATIENCE, "all 300 consumed", () -> got.stream().mapToInt(List::size).sum() == 300,
                () -> stats("work"));
        Set<String> all = new HashSet<>();
        got.forEach(all::addAll);
        assertEquals(300, all.size(), "each message to exactly one consumer");
        got.forEach(list -> assertTrue(list.size() > 0, "every consumer took a share: " + list.size()));

        DeliveryResult b = node.send(message("work", "everyone", 0, Duration.ZERO),
                DeliveryOptions.of(DeliveryGuarantee.BROADCAST)).get(30, TimeUnit.SECONDS);
        assertEquals(true, b.success(), b.toString());
        Await.until(PATIENCE, "the broadcast reached all three",
                () -> got.stream().allMatch(list -> list.contains("everyone")));
        Await.until(PATIENCE, "everything acknowledged", () -> stats("work").inFlight() == 0);
        assertEquals(300 + 3, stats("work").acked());
    }

    @Test
    void q5AnUnacknowledgedMessageReappearsAfterTheVisibilityTimeoutThenGoesToTheDeadLetterQueue()
            throws Exception {
        node.createQueue(QueueConfig.fifo("fragile").withVisibilityTimeout(Duration.ofMillis(300)).withMaxReceives(2));
        List<Delivery> held = new CopyOnWriteArrayList<>();
        node.subscribe("fragile", SubscribeOptions.manualAcks(), held::add); // never acknowledges
        List<Delivery> dead = new CopyOnWriteArrayList<>();
        node.subscribe("*.dlq", dead::add);
        Message m = message("fragile", "poison", 0, Duration.ZERO);
        send(m);
        Await.until(PATIENCE, "dead-lettered after two receives", () -> dead.size() == 1, () -> stats("fragile"));
        assertEquals(List.of(1, 2), held.stream().map(Delivery::receiveCount).toList(), "redelivered once");
        Delivery letter = dead.get(0);
        assertEquals("fragile.dlq", letter.message().queue());
        assertEquals(m.id(), letter.message().id());
        assertEquals("not acknowledged after 2 receives (maxReceives 2) on queue 'fragile'",
                letter.message().headers().get("mpreg-dead-letter-reason"));
        assertEquals("fragile", letter.message().headers().get("mpreg-dead-letter-queue"));
        assertEquals(AckOutcome.STALE, held.get(0).ack().get(30, TimeUnit.SECONDS), "too late to acknowledge");
        QueueStatistics s = stats("fragile");
        assertEquals(1, s.redelivered());
        assertEquals(1, s.deadLettered());
        assertEquals(0, s.depth());
        assertEquals(0, s.inFlight());
        assertEquals(1, node.queueTotals().deadLettered());
        var jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        var name = new javax.management.ObjectName("io.mpreg:type=FederationNode,node=\"c1/gw\"");
        assertEquals(1L, jmx.getAttribute(name, "QueueDeadLettered"), "the same figures over JMX");
        Await.until(PATIENCE, "the dead letter acknowledged", () -> stats("fragile.dlq").inFlight() == 0);
        javax.management.openmbean.TabularData depths =
                (javax.management.openmbean.TabularData) jmx.getAttribute(name, "QueueDepths");
        assertEquals(2, depths.size(), "fragile and fragile.dlq");
    }

    @Test
    void q6AFullQueueRefusesClearlyAndDedupHoldsForItsWindowOnly() throws Exception {
        node.createQueue(QueueConfig.fifo("small").withCapacity(2).withDedupWindow(Duration.ofMillis(500)));
        Message a = message("small", "a", 0, Duration.ZERO);
        assertEquals(true, send(a).success());
        assertEquals(true, send(message("small", "b", 0, Duration.ZERO)).success());
        Message c = message("small", "c", 0, Duration.ZERO);
        DeliveryResult full = send(c);
        assertEquals(AbortReason.REJECTED, full.abortReason());
        assertEquals(Map.of(ClusterId.of("c1"), "queue 'small' on cluster c1 is full (capacity 2 messages)"),
                full.failures());

        List<String> got = new CopyOnWriteArrayList<>();
        node.subscribe("small", d -> got.add(text(d)));
        Await.until(PATIENCE, "drained", () -> got.size() == 2 && stats("small").inFlight() == 0);
        DeliveryResult again = send(a);
        assertEquals(true, again.success(), "the same message again inside the window is acknowledged as stored: "
                + again);
        Message other = new Message(a.id(), "small", "other".getBytes(StandardCharsets.UTF_8), Map.of(), 0,
                Duration.ZERO, null);
        DeliveryResult conflict = send(other);
        assertEquals(AbortReason.REJECTED, conflict.abortReason(), "other content under the id inside the window");
        assertEquals("conflict: message id " + a.id() + " was accepted by queue 'small' on cluster c1 with other "
                + "content inside its dedup window", conflict.failures().get(ClusterId.of("c1")));
        assertEquals(true, send(c).success(), "c was refused for room, never remembered: accepted now");
        Await.until(PATIENCE, "the window passes and the id is new again", () -> accepted(other));
        Await.until(PATIENCE, "a, b, c and other consumed once each", () -> got.size() == 4, () -> got);
        assertEquals(List.of("a", "b", "c", "other"), got, "the resent a was not stored twice");
    }

    @Test
    void capacityHoldsForVotedMessagesEachYesVoteReservingItsSlot() throws Exception {
        node.createQueue(QueueConfig.fifo("ballots").withCapacity(5));
        List<CompletableFuture<DeliveryResult>> sends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sends.add(node.send(message("ballots", "b" + i, 0, Duration.ZERO),
                    DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM).withTargets(ClusterId.of("c1"))));
        }
        int committed = 0;
        for (CompletableFuture<DeliveryResult> f : sends) {
            DeliveryResult r = f.get(30, TimeUnit.SECONDS);
            if (r.success()) {
                committed++;
            } else {
                assertEquals(Map.of(ClusterId.of("c1"), "voted no: queue 'ballots' on cluster c1 is full"), r.failures());
            }
        }
        assertEquals(5, committed, () -> "one yes vote per free slot: " + sends.get(0).join());
        assertEquals(5, stats("ballots").depth());
    }

    @Test
    void capacityHoldsForCausalMessagesAndARefusedOneKeepsItsPlaceInCausalOrder() throws Exception {
        node.createQueue(QueueConfig.fifo("chain").withCapacity(2));
        DeliveryOptions causal = DeliveryOptions.of(DeliveryGuarantee.CAUSAL);
        List<DeliveryResult> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(node.send(message("chain", "c" + i, 0, Duration.ZERO), causal).get(30, TimeUnit.SECONDS));
        }
        assertEquals(List.of(true, true, false, false), results.stream().map(DeliveryResult::success).toList());
        assertEquals("queue 'chain' on cluster c1 is full (capacity 2 messages)",
                results.get(2).failures().get(ClusterId.of("c1")));
        assertEquals(2, stats("chain").depth());
        List<String> got = new CopyOnWriteArrayList<>();
        node.subscribe("chain", d -> got.add(text(d)));
        Await.until(PATIENCE, "drained", () -> got.size() == 2 && stats("chain").inFlight() == 0, () -> got);
        assertEquals(true, node.send(message("chain", "c4", 0, Duration.ZERO), causal).get(30, TimeUnit.SECONDS)
                .success(), "the refused ones did not leave the sender's later messages waiting");
        Await.until(PATIENCE, "c4 delivered", () -> got.size() == 3, () -> got);
        assertEquals(List.of("c0", "c1", "c4"), got);
    }

    @Test
    void aFullDeadLetterQueueLeavesTheMessageInItsQueueUntilThereIsRoom() throws Exception {
        node.createQueue(QueueConfig.fifo("letters").withCapacity(1));
        node.createQueue(QueueConfig.fifo("work").withVisibilityTimeout(Duration.ofMillis(200)).withMaxReceives(1)
                .withDeadLetterQueue("letters"));
        assertEquals(true, send(message("work", "w1", 0, Duration.ZERO)).success());
        assertEquals(true, send(message("work", "w2", 0, Duration.ZERO)).success());
        node.subscribe("work", SubscribeOptions.manualAcks(), d -> { });
        Await.until(PATIENCE, "one dead letter, the other redelivered as the dead-letter queue is full",
                () -> stats("letters").depth() == 1 && stats("work").redelivered() >= 1,
                () -> stats("letters") + " " + stats("work"));
        assertEquals(1, stats("work").deadLettered());
        assertEquals(1, stats("work").depth() + stats("work").inFlight(), "the other is still in its queue");
        List<String> letters = new CopyOnWriteArrayList<>();
        node.subscribe("letters", d -> letters.add(text(d)));
        Await.until(PATIENCE, "both dead letters once the queue had room", () -> letters.size() == 2, () -> letters);
        assertEquals(Set.of("w1", "w2"), new HashSet<>(letters));
        assertEquals(2, stats("work").deadLettered());
    }

    @Test
    void q7QuorumDeliversToEverySubscriberAndCompletesAtTheRequiredAcks() throws Exception {
        node.createQueue(QueueConfig.fifo("votes"));
        List<Delivery> held = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            node.subscribe("votes", SubscribeOptions.manualAcks(), held::add);
        }
        CompletableFuture<DeliveryResult> future = node.send(message("votes", "ballot", 0, Duration.ZERO),
                DeliveryOptions.of(DeliveryGuarantee.QUORUM).withRequiredAcks(3));
        Await.until(PATIENCE, "delivered to all five", () -> held.size() == 5, held::size);
        assertEquals(AckOutcome.ACKED, held.get(0).ack().get(30, TimeUnit.SECONDS));
        assertEquals(AckOutcome.ACKED, held.get(1).ack().get(30, TimeUnit.SECONDS));
        assertEquals(false, future.isDone(), "two acknowledgements of three");
        assertEquals(AckOutcome.ACKED, held.get(2).ack().get(30, TimeUnit.SECONDS));
        DeliveryResult r = future.get(30, TimeUnit.SECONDS);
        assertEquals(true, r.success(), r.toString());
        assertEquals(AckOutcome.ALREADY_COMPLETE, held.get(3).ack().get(30, TimeUnit.SECONDS));
        assertEquals(AckOutcome.ALREADY_COMPLETE, held.get(4).ack().get(30, TimeUnit.SECONDS));
    }
}
