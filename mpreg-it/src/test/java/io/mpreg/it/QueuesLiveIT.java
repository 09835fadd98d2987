package io.mpreg.it;

import io.mpreg.tck.Await;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.queue.NoSuchQueueException;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.QueueInfo;
import io.mpreg.federation.queue.QueueStatistics;
import io.mpreg.federation.queue.QueueType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static io.mpreg.it.LiveFederation.c;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Federated queues, live over tcp and jgroups: SCENARIOS Q1 and Q2, consumers on one cluster taking from a queue on
 * another (acks travelling back) through a cut and a heal, late-created queues picked up by a pattern, unsubscribe
 * and deletion cleaning up.
 */
class QueuesLiveIT {
    private final SplittableRandom random = new SplittableRandom(7);

    private Message message(String queue, String text) {
        return Message.builder(queue).payload(text.getBytes(StandardCharsets.UTF_8)).build(random);
    }

    private static String text(Delivery d) {
        return new String(d.message().payload(), StandardCharsets.UTF_8);
    }

    private static QueueStatistics stats(FederationNode node, String queue) {
        return node.queueStatistics().get(queue);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void q1AdvertisedQueuesAreDiscoveredByPatternWithdrawnOnDeleteAndExpireWithoutRefresh(String transport)
            throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 3).start()) {
            f.awaitFullyConnected();
            f.node(1).createQueue(QueueConfig.fifo("orders"));
            f.node(1).createQueue(QueueConfig.priority("audit"));
            List<QueueInfo> orders = List.of(new QueueInfo(c(1), "orders", QueueType.FIFO));
            List<QueueInfo> both = List.of(new QueueInfo(c(1), "audit", QueueType.PRIORITY), orders.get(0));
            for (int at : new int[]{2, 3}) {
                FederationNode node = f.node(at);
                Await.until(PATIENCE, "c" + at + " discovers both queues under c1",
                        () -> node.discoverQueues("*").equals(both), () -> node.discoverQueues("*"));
                assertEquals(orders, node.discoverQueues("ord*"));
                assertEquals(List.of(), node.discoverQueues("ord"), "a pattern without wildcards names one queue");
            }

            // Q2: a queue nobody holds
            ExecutionException nowhere = assertThrows(ExecutionException.class, () -> f.node(2).send(
                    message("nowhere", "x"), DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE))
                    .get(30, TimeUnit.SECONDS));
            assertInstanceOf(NoSuchQueueException.class, nowhere.getCause());
            assertTrue(nowhere.getCause().getMessage().startsWith("no such queue 'nowhere' in the federation"),
                    nowhere.getCause().getMessage());

            assertTrue(f.node(1).deleteQueue("audit"));
            for (int at : new int[]{2, 3}) {
                FederationNode node = f.node(at);
                Await.until(PATIENCE, "c" + at + " sees 'audit' withdrawn", () -> node.discoverQueues("*")
                        .equals(orders), () -> node.discoverQueues("*"));
            }

            f.node(1).close(); // no more refreshes: the advertisement lives out its TTL (5 gossip intervals)
            for (int at : new int[]{2, 3}) {
                FederationNode node = f.node(at);
                Await.until(PATIENCE, "c" + at + " forgets 'orders'", () -> node.discoverQueues("*").isEmpty(),
                        () -> node.discoverQueues("*"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void aPatternSubscriptionPicksUpQueuesCreatedLaterAndLetsGoOfDeletedOnes(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 3).start()) {
            f.awaitFullyConnected();
            List<Delivery> atC3 = new CopyOnWriteArrayList<>();
            FederationNode.Subscription subscription = f.node(3).subscribe("reports/*", atC3::add);
            f.node(1).createQueue(QueueConfig.fifo("reports/eu"));
            f.node(2).createQueue(QueueConfig.fifo("reports/us"));
            f.node(2).createQueue(QueueConfig.fifo("invoices"));
            Await.until(PATIENCE, "c3's subscription bound to both report queues",
                    () -> stats(f.node(1), "reports/eu").consumers() == 1
                            && stats(f.node(2), "reports/us").consumers() == 1, () -> f.node(1).queueStatistics());
            assertEquals(0, stats(f.node(2), "invoices").consumers(), "'invoices' does not match");

            // sent from c2 without targets: routed to the cluster that holds each queue
            DeliveryResult eu = LiveFederation.outcome(f.node(2).send(message("reports/eu", "eu"),
                    DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)));
            DeliveryResult us = LiveFederation.outcome(f.node(2).send(message("reports/us", "us"),
                    DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)));
            assertEquals(Set.of(c(1)), eu.deliveredTo(), eu.toString());
            assertEquals(Set.of(c(2)), us.deliveredTo(), us.toString());
            Await.until(PATIENCE, "c3 consumed both", () -> atC3.size() == 2, () -> atC3);
            assertEquals(Set.of("eu", "us"), Set.of(text(atC3.get(0)), text(atC3.get(1))));
            for (Delivery d : atC3) {
                assertEquals(text(d).equals("eu") ? c(1) : c(2), d.queueCluster());
            }
            Await.until(PATIENCE, "both acknowledgements travelled back",
                    () -> stats(f.node(1), "reports/eu").acked() == 1 && stats(f.node(2), "reports/us").acked() == 1
                            && stats(f.node(1), "reports/eu").inFlight() == 0, () -> f.node(1).queueStatistics());

            assertTrue(f.node(2).deleteQueue("reports/us"));
            Await.until(PATIENCE, "the deletion reached c3", () -> f.node(3).discoverQueues("reports/*")
                    .equals(List.of(new QueueInfo(c(1), "reports/eu", QueueType.FIFO))), () -> f.node(3)
                    .discoverQueues("*"));
            assertEquals(false, f.node(2).queueStatistics().containsKey("reports/us"));
            subscription.close();
            Await.until(PATIENCE, "unsubscribing reached c1", () -> stats(f.node(1), "reports/eu").consumers() == 0,
                    () -> f.node(1).queueStatistics());
            LiveFederation.outcome(f.node(1).send(message("reports/eu", "unread"),
                    DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)));
            assertEquals(1, stats(f.node(1), "reports/eu").depth(), "nobody takes it now: it waits in the queue");
            assertEquals(2, atC3.size());
        }
    }

    /**
     * The acceptance test: cluster 2 consumes from a queue owned by cluster 1, messages sent by both, through
     * a full cut (deliveries and acks lost) and a one-way cut (acks lost): every message reaches the application
     * exactly once and none is lost.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void cluster2ConsumesCluster1sQueueExactlyOnceThroughCutsAndHeals(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 2).start()) {
            f.awaitFullyConnected();
            FederationNode owner = f.node(1);
            FederationNode consumer = f.node(2);
            owner.createQueue(QueueConfig.fifo("jobs").withVisibilityTimeout(Duration.ofSeconds(1))
                    .withMaxReceives(100));
            List<Delivery> got = new CopyOnWriteArrayList<>();
            consumer.subscribe("jobs", got::add);
            Await.until(PATIENCE, "c2 subscribed to c1's 'jobs'", () -> stats(owner, "jobs").consumers() == 1,
                    owner::queueStatistics);

            List<CompletableFuture<DeliveryResult>> sends = new ArrayList<>();
            Set<MessageId> ids = new HashSet<>();
            int sent = 0;
            for (int i = 0; i < 40; i++, sent++) {
                Message m = message("jobs", "job " + sent);
                ids.add(m.id());
                sends.add((i % 2 == 0 ? owner : consumer).send(m, DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)));
            }
            int firstBatch = sent;
            java.util.function.Supplier<Object> state = () -> got.size() + " consumed; c1: " + owner.queueStatistics()
                    + "; c2: " + consumer.statistics();
            Await.until(PATIENCE, "the first batch consumed", () -> got.size() == firstBatch, state);

            // a full cut: hand-overs into it are lost, so are the acks; c2's sends wait for the heal
            f.gate.cut(f.id(1), f.id(2));
            List<CompletableFuture<DeliveryResult>> local = new ArrayList<>();
            for (int i = 0; i < 40; i++, sent++) {
                Message m = message("jobs", "job " + sent);
                ids.add(m.id());
                CompletableFuture<DeliveryResult> s = (i % 2 == 0 ? owner : consumer).send(m,
                        DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE));
                sends.add(s);
                if (i % 2 == 0) {
                    local.add(s);
                }
            }
            for (CompletableFuture<DeliveryResult> s : local) {
                assertEquals(true, LiveFederation.outcome(s).success(), "c1 stores its own sends during the cut");
            }
            // c1 hands them into the cut; their visibility timeout or the end of c2's lease (both 1 s here; the lease
            // also ends if the link flapped and c1 cannot route to c2 until c2's hello gets through) takes them back
            Await.until(PATIENCE, "c1 took back what it handed into the cut",
                    () -> stats(owner, "jobs").redelivered() > 0 || stats(owner, "jobs").consumers() == 0, state);
            assertEquals(firstBatch, got.size(), "nothing crossed the cut");
            f.gate.restore();

            // lost acknowledgements: c2 gets the messages but its QACK frames (type 13) are dropped; c1 hands them out
            // again after the visibility timeout, and c2 acknowledges the repeats without handing them to the
            // application a second time
            Await.until(PATIENCE, "everything so far consumed", () -> got.size() == 80, state);
            // and acknowledged: with every acknowledgement lost, the unacknowledged messages would fill c2's prefetch
            // window (64) and keep coming back ahead of the new ones (FIFO), as flow control should
            Await.until(PATIENCE, "everything so far acknowledged", () -> stats(owner, "jobs").inFlight() == 0
                    && stats(owner, "jobs").depth() == 0, state);
            f.gate.blockType(f.id(2), f.id(1), 13);
            long redeliveredBefore = stats(owner, "jobs").redelivered();
            for (int i = 0; i < 10; i++, sent++) {
                Message m = message("jobs", "job " + sent);
                ids.add(m.id());
                sends.add(owner.send(m, DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)));
            }
            Await.until(PATIENCE, "c2 got them", () -> got.size() == 90, state);
            Await.until(PATIENCE, "c1, having heard no acks, handed them out again",
                    () -> stats(owner, "jobs").redelivered() >= redeliveredBefore + 10, state);
            assertEquals(90, got.size(), "the repeats did not reach the application");
            f.gate.restore();

            for (CompletableFuture<DeliveryResult> s : sends) {
                DeliveryResult r = LiveFederation.outcome(s);
                assertEquals(true, r.success(), r.toString());
                assertEquals(Set.of(c(1)), r.deliveredTo());
            }
            Await.until(PATIENCE, "c1's queue drained: every message acknowledged",
                    () -> stats(owner, "jobs").depth() == 0 && stats(owner, "jobs").inFlight() == 0
                            && stats(owner, "jobs").acked() == 90, () -> stats(owner, "jobs"));
            List<MessageId> delivered = got.stream().map(d -> d.message().id()).toList();
            assertEquals(90, delivered.size(), "each message reached the application once");
            assertEquals(ids, new HashSet<>(delivered), "none lost, none unexpected");
            QueueStatistics s = stats(owner, "jobs");
            assertEquals(90, s.sent());
            assertTrue(s.redelivered() >= 10, s.toString());
            assertEquals(0, s.deadLettered());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void quorumWaitsForTheRemoteSubscribersAcknowledgements(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 3).start()) {
            f.awaitFullyConnected();
            f.node(1).createQueue(QueueConfig.fifo("tally"));
            List<Delivery> held = new CopyOnWriteArrayList<>();
            for (int at : new int[]{1, 2, 3}) {
                f.node(at).subscribe("tally", io.mpreg.federation.queue.SubscribeOptions.manualAcks(), held::add);
            }
            Await.until(PATIENCE, "three subscribers on c1's queue", () -> stats(f.node(1), "tally").consumers() == 3,
                    () -> stats(f.node(1), "tally"));
            CompletableFuture<DeliveryResult> future = f.node(3).send(message("tally", "count me"),
                    DeliveryOptions.of(DeliveryGuarantee.QUORUM).withRequiredAcks(2));
            Await.until(PATIENCE, "fanned out to all three", () -> held.size() == 3, held::size);
            held.forEach(d -> assertEquals(c(1), d.queueCluster()));
            held.get(0).ack().get(30, TimeUnit.SECONDS);
            assertEquals(false, future.isDone(), "one acknowledgement of two");
            held.get(1).ack().get(30, TimeUnit.SECONDS);
            DeliveryResult r = LiveFederation.outcome(future);
            assertEquals(true, r.success(), r.toString());
            assertEquals(Set.of(c(1)), r.deliveredTo());
        }
    }
}
