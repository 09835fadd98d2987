package io.mpreg.it;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.NodeId;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.QueueStatistics;
import io.mpreg.federation.queue.SubscribeOptions;
import io.mpreg.federation.storage.StorageException;
import io.mpreg.federation.storage.StorageStatistics;
import io.mpreg.tck.Await;
import io.mpreg.tck.LoopbackPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node with a data directory, stopped and started again in this JVM over tcp (SCENARIOS D2, D5): its queues come
 * back as they were. The process-kill cases run in {@link ProcessKillIT}.
 */
class DurableQueuesIT {
    private static final ClusterId C1 = ClusterId.of("c1");
    private final SplittableRandom random = new SplittableRandom(18);
    private final List<FederationNode> nodes = new ArrayList<>();
    @TempDir
    Path data;

    @AfterEach
    void close() {
        nodes.forEach(FederationNode::close);
    }

    private FederationNode start() {
        return start(java.time.Clock.systemUTC());
    }

    private FederationNode start(java.time.Clock wallClock) {
        FederationNode node = FederationNode.builder().federation("durable").node(NodeId.of("c1", "gw"))
                .listen(LoopbackPorts.next()).transport("tcp").insecure(true).jmx(false).wallClock(wallClock)
                .weights(1, Map.of(C1, 1L)).dataDirectory(data).logSegmentBytes(64 * 1024).build().start();
        nodes.add(node);
        return node;
    }

    private Message message(String queue, String text, int priority, Duration delay) {
        return Message.builder(queue).payload(text.getBytes(StandardCharsets.UTF_8)).priority(priority).delay(delay)
                .build(random);
    }

    private static DeliveryResult send(FederationNode node, Message m) throws Exception {
        return node.send(m, DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)).get(30, TimeUnit.SECONDS);
    }

    private static String text(Delivery d) {
        return new String(d.message().payload(), StandardCharsets.UTF_8);
    }

    /**
     * A wall clock set back across a restart (found by the simulator, seed 404659): the messages come back visible at
     * once and in their order, a delayed one no later than its own delay, and nothing lives longer than its time to
     * live from its acceptance.
     */
    @Test
    void aWallClockSetBackAcrossARestartHoldsNoMessageBack() throws Exception {
        FederationNode node = start();
        node.createQueue(QueueConfig.fifo("orders"));
        node.createQueue(QueueConfig.fifo("later"));
        for (int i = 0; i < 3; i++) {
            assertTrue(send(node, message("orders", "o" + i, 0, Duration.ZERO)).success());
        }
        assertTrue(send(node, message("later", "in a second", 0, Duration.ofSeconds(1))).success());
        node.close();

        FederationNode again = start(java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofHours(-1)));
        assertTrue(send(again, message("orders", "o3", 0, Duration.ZERO)).success());
        List<Delivery> got = new CopyOnWriteArrayList<>();
        again.subscribe("orders", got::add);
        again.subscribe("later", got::add);
        Await.until(PATIENCE, "all five, the delayed one within its second", () -> got.size() == 5,
                () -> got.stream().map(DurableQueuesIT::text).toList());
        assertEquals(List.of("o0", "o1", "o2", "o3"), got.stream().map(DurableQueuesIT::text)
                .filter(t -> t.startsWith("o")).toList(), "in their order, none held back an hour");
    }

    @Test
    void d2ACleanStopAndRestartKeepsEveryQueueAsItWas() throws Exception {
        FederationNode node = start();
        node.createQueue(QueueConfig.fifo("orders"));
        node.createQueue(QueueConfig.priority("urgent"));
        node.createQueue(QueueConfig.fifo("later"));
        node.createQueue(QueueConfig.fifo("short").withMessageTtl(Duration.ofMillis(1)));
        node.createQueue(QueueConfig.fifo("work").withVisibilityTimeout(Duration.ofMillis(200)).withMaxReceives(1));
        List<Message> orders = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            orders.add(message("orders", "o" + i, 0, Duration.ZERO));
            assertTrue(send(node, orders.get(i)).success());
        }
        for (int p : new int[]{1, 10, 5, 15}) {
            assertTrue(send(node, message("urgent", "p" + p, p, Duration.ZERO)).success());
        }
        assertTrue(send(node, message("later", "in a minute", 0, Duration.ofMinutes(1))).success());
        assertTrue(send(node, message("short", "gone soon", 0, Duration.ZERO)).success());
        assertTrue(send(node, message("work", "poison", 0, Duration.ZERO)).success());
        node.subscribe("work", SubscribeOptions.manualAcks(), d -> { }); // never acknowledged: dead-lettered
        Await.until(PATIENCE, "the poison message is dead-lettered",
                () -> node.queueStatistics().get("work.dlq") != null
                        && node.queueStatistics().get("work.dlq").depth() == 1);
        // three orders consumed and acknowledged; then five held (the prefetch), two never handed out
        List<Delivery> held = new CopyOnWriteArrayList<>();
        List<String> consumed = new CopyOnWriteArrayList<>();
        FederationNode.Subscription sub = node.subscribe("orders", SubscribeOptions.manualAcks().withPrefetch(5),
                d -> {
                    if (consumed.size() < 3) {
                        consumed.add(text(d));
                        d.ack();
                    } else {
                        held.add(d);
                    }
                });
        Await.until(PATIENCE, "three acknowledged and five held", () -> held.size() == 5
                && node.queueStatistics().get("orders").acked() == 3, () -> node.queueStatistics().get("orders"));
        sub.close();
        node.close();

        FederationNode again = start();
        StorageStatistics storage = again.storageStatistics();
        assertEquals(true, storage.durable());
        assertEquals(data.toAbsolutePath().normalize().toString(), storage.location());
        Map<String, QueueStatistics> q = again.queueStatistics();
        assertEquals(7, q.get("orders").depth(), "the five held, visible again, and the two never handed out");
        assertEquals(4, q.get("urgent").depth());
        assertEquals(1, q.get("later").depth(), "still delayed");
        assertEquals(1, q.get("work.dlq").depth(), "the dead letter");
        assertEquals(0, q.get("work").depth());

        // D5: a sender that resends a stored message (a new send, a new token) is told it is stored; no second copy
        assertTrue(send(again, orders.get(9)).success());
        assertEquals(7, again.queueStatistics().get("orders").depth());

        List<Delivery> got = new CopyOnWriteArrayList<>();
        again.subscribe("orders", got::add);
        Await.until(PATIENCE, "the seven orders", () -> got.size() == 7, got::size);
        assertEquals(List.of("o3", "o4", "o5", "o6", "o7", "o8", "o9"), got.stream().map(DurableQueuesIT::text)
                .toList(), "FIFO order kept; the three acknowledged ones gone");
        assertEquals(List.of(2, 2, 2, 2, 2, 1, 1), got.stream().map(Delivery::receiveCount).toList(),
                "the five held when the node stopped come back as redeliveries");
        Await.until(PATIENCE, "counted as redelivered", () -> again.queueStatistics().get("orders").redelivered() == 5);
        List<String> urgent = new CopyOnWriteArrayList<>();
        again.subscribe("urgent", d -> urgent.add(text(d)));
        Await.until(PATIENCE, "the four urgent ones", () -> urgent.size() == 4);
        assertEquals(List.of("p15", "p10", "p5", "p1"), urgent, "priorities kept");
        List<String> letters = new CopyOnWriteArrayList<>();
        again.subscribe("work.dlq", d -> letters.add(text(d) + " / " + d.message().headers()
                .get("mpreg-dead-letter-reason")));
        Await.until(PATIENCE, "the dead letter", () -> letters.size() == 1);
        assertEquals("poison / not acknowledged after 1 receives (maxReceives 1) on queue 'work'", letters.get(0));
        List<String> expired = new CopyOnWriteArrayList<>();
        again.subscribe("short", d -> expired.add(text(d)));
        Await.until(PATIENCE, "the expired message is dropped, not delivered",
                () -> again.queueStatistics().get("short").expired() == 1, () -> again.queueStatistics().get("short"));
        assertEquals(List.of(), expired);
        assertEquals(0, again.queueStatistics().get("later").received(), "the delayed one is not early");
    }

    /** D9: a log that cannot write refuses new sends with the reason, acknowledges nothing unstored, recovers. */
    @Test
    void d9AFullDiskRefusesSendsAcknowledgesNothingUnstoredAndResumes() throws Exception {
        AtomicBoolean full = new AtomicBoolean();
        FederationNode node = FederationNode.builder().federation("durable").node(NodeId.of("c1", "gw"))
                .listen(LoopbackPorts.next()).transport("tcp").insecure(true).jmx(false)
                .weights(1, Map.of(C1, 1L)).disk(() -> new FlakyDisk(io.mpreg.federation.storage.FileDisk.open(data),
                        full)).build().start();
        nodes.add(node);
        node.createQueue(QueueConfig.fifo("orders"));
        assertTrue(send(node, message("orders", "before", 0, Duration.ZERO)).success());
        full.set(true);
        java.util.concurrent.CompletableFuture<DeliveryResult> waiting = node.send(message("orders", "during", 0,
                Duration.ZERO), DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE));
        Await.until(PATIENCE, "health CRITICAL with the reason", () -> node.statistics().healthReasons().stream()
                .anyMatch(r -> r.startsWith("critical: cluster c1 cannot write its log (cannot write log-")),
                () -> node.statistics().healthReasons());
        assertEquals(io.mpreg.federation.FederationStatistics.Health.CRITICAL, node.statistics().health());
        DeliveryResult refused = send(node, message("orders", "refused", 0, Duration.ZERO));
        assertEquals(io.mpreg.api.AbortReason.REJECTED, refused.abortReason());
        assertTrue(refused.failures().get(C1).startsWith("cluster c1 cannot write its log (cannot write log-"),
                refused.toString());
        assertTrue(refused.failures().get(C1).endsWith("No space left on device)"), refused.toString());
        assertEquals(false, waiting.isDone(), "the message that could not be stored was not acknowledged");
        assertTrue(node.storageStatistics().writeFailures() >= 1);
        full.set(false);
        assertTrue(waiting.get(30, TimeUnit.SECONDS).success(), "acknowledged once stored");
        Await.until(PATIENCE, "the log writes again", () -> node.storageStatistics().failure() == null);
        assertTrue(node.statistics().healthReasons().stream().noneMatch(r -> r.contains("cannot write its log")));
        node.close();
        FederationNode again = start();
        List<String> got = new CopyOnWriteArrayList<>();
        again.subscribe("orders", d -> got.add(text(d)));
        Await.until(PATIENCE, "both stored messages", () -> got.size() == 2, () -> got);
        assertEquals(List.of("before", "during"), got);
    }

    @Test
    void aDataDirectoryHeldByAnotherNodeIsRefusedAtStart() {
        start();
        StorageException e = assertThrows(StorageException.class, this::start);
        assertTrue(e.getMessage().contains("is in use by another node"), e.getMessage());
    }

    @Test
    void aNodeWithoutADataDirectorySaysItRunsInMemory() {
        FederationNode node = FederationNode.builder().federation("durable").node(NodeId.of("c1", "gw"))
                .listen(LoopbackPorts.next()).transport("tcp").insecure(true).jmx(false).build().start();
        nodes.add(node);
        assertEquals(StorageStatistics.inMemory(), node.storageStatistics());
    }
}
