package io.mpreg.it;

import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.SubscribeOptions;
import io.mpreg.tck.Await;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.mpreg.it.LiveFederation.c;
import static io.mpreg.it.LiveFederation.outcome;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over tcp: a node starting up answers a message for a queue it has not created yet later, not no; the queues a node
 * is built with exist before it links; a federation-wide subscription gets each cluster's copy of one message id.
 */
class StartupAndCopiesIT {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private final SplittableRandom random = new SplittableRandom(5);

    private Message message(String queue, String text) {
        return Message.builder(queue).payload(text.getBytes(StandardCharsets.UTF_8)).build(random);
    }

    private static DeliveryOptions toC2() {
        return DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE).withTargets(c(2)).withTimeout(PATIENCE);
    }

    @Test
    void aMessageForAQueueNotCreatedYetWhileStartingUpIsRetriedNotRefused() throws Exception {
        // c2 starts up for five seconds (one gossip interval): its application creates "orders" late in it
        try (LiveFederation f = new LiveFederation("tcp", 2, (id, b) -> id.cluster().equals(c(2))
                ? b.gossipInterval(Duration.ofSeconds(5)) : b).start()) {
            f.awaitFullyConnected();
            CompletableFuture<DeliveryResult> sent = f.node(1).send(message("orders", "early"), toC2());
            long before = f.node(1).statistics().retries();
            Await.until(PATIENCE, "c1 retried while c2 has no queue 'orders'",
                    () -> f.node(1).statistics().retries() >= before + 3, () -> f.node(1).statistics());
            assertEquals(0, f.node(2).statistics().messagesRefused(), "refused while starting up");
            List<Delivery> got = f.subscribe(2, "orders");
            DeliveryResult r = outcome(sent);
            assertEquals(true, r.success(), r.toString());
            Await.until(PATIENCE, "c2's subscriber got it", () -> got.size() == 1);
            assertEquals(0, f.node(2).statistics().messagesRefused());
        }
    }

    @Test
    void theQueuesANodeIsBuiltWithExistBeforeItLinks() throws Exception {
        try (LiveFederation f = new LiveFederation("tcp", 2, (id, b) -> id.cluster().equals(c(2))
                ? b.queue(QueueConfig.fifo("orders")) : b).start()) {
            f.awaitFullyConnected();
            f.node(2).close();
            CompletableFuture<DeliveryResult> sent = f.node(1).send(message("orders", "across a restart"), toC2());
            FederationNode fresh = f.restart(2);
            assertTrue(fresh.queueStatistics().containsKey("orders"), "created before start() returned");
            DeliveryResult r = outcome(sent);
            assertEquals(true, r.success(), r.toString());
            assertEquals(1, fresh.queueStatistics().get("orders").sent());
            assertEquals(0, fresh.statistics().messagesRefused());
        }
    }

    @Test
    void aFederationWideSubscriptionGetsEachClustersCopyOfOneMessage() throws Exception {
        try (LiveFederation f = new LiveFederation("tcp", 3).start()) {
            f.awaitFullyConnected();
            for (int i = 2; i <= 3; i++) {
                f.node(i).createQueue(QueueConfig.fifo("orders").withVisibilityTimeout(Duration.ofMinutes(5)));
            }
            f.node(1).createQueue(QueueConfig.fifo("probe"));
            CountDownLatch release = new CountDownLatch(1);
            List<Delivery> got = new CopyOnWriteArrayList<>();
            Await.until(PATIENCE, "c1 knows both queues", () -> f.node(1).discoverQueues("orders").size() == 2);
            f.node(1).subscribe("orders", SubscribeOptions.automaticAcks(), d -> {
                got.add(d);
                if (got.size() == 1) {
                    awaitQuietly(release); // the first copy is still being handled when the second arrives
                }
            });
            // one message id into both clusters' queues
            DeliveryResult r = outcome(f.node(1).send(message("orders", "one id, two queues"),
                    DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE).withTargets(c(2), c(3))));
            assertEquals(true, r.success(), r.toString());
            for (int i = 2; i <= 3; i++) {
                FederationNode owner = f.node(i);
                Await.until(PATIENCE, "c" + i + " handed its copy to c1",
                        () -> owner.queueStatistics().get("orders").inFlight() == 1, owner::queueStatistics);
                // a message sent after it on the same link, acknowledged: c1 has taken the copy too
                assertEquals(true, outcome(owner.send(message("probe", "after"),
                        DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE).withTargets(c(1)))).success());
            }
            release.countDown();
            for (int i = 2; i <= 3; i++) {
                FederationNode owner = f.node(i);
                Await.until(PATIENCE, "c" + i + "'s copy acknowledged",
                        () -> owner.queueStatistics().get("orders").acked() == 1, owner::queueStatistics);
            }
            assertEquals(2, got.size());
            assertEquals(java.util.Set.of(c(2), c(3)), java.util.Set.of(got.get(0).queueCluster(),
                    got.get(1).queueCluster()));
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
