package io.mpreg.it;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.NodeId;
import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.fault.FaultDetector;
import io.mpreg.api.spi.fault.FaultDetectorProvider;
import io.mpreg.api.spi.weighting.WeightingStrategy;
import io.mpreg.api.spi.weighting.WeightingStrategyProvider;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.FederationNodeBuilder;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.tck.LoopbackPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * A node's API under what should not hang it (a federation of one over tcp): a plugin that throws when a round opens,
 * a send racing close(), a second send of a message id in flight, and callbacks on the futures it returns, which must
 * not run on its event loop.
 */
class NodeRobustnessIT {
    private static final ClusterId C1 = ClusterId.of("c1");
    private static final int SENDERS = 4;
    private final List<FederationNode> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        nodes.forEach(FederationNode::close);
    }

    private FederationNodeBuilder builder() {
        return FederationNode.builder().federation("robust").node(NodeId.of("c1", "gw")).listen(LoopbackPorts.next())
                .transport("tcp").insecure(true).jmx(false).weights(1, java.util.Map.of(C1, 1L));
    }

    private FederationNode start(FederationNodeBuilder b) {
        FederationNode node = b.build().start();
        nodes.add(node);
        node.createQueue(QueueConfig.fifo("q"));
        return node;
    }

    private Message message() {
        return Message.builder("q").payload("m".getBytes(StandardCharsets.UTF_8))
                .build(java.util.concurrent.ThreadLocalRandom.current());
    }

    private static DeliveryOptions voted() {
        return DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM).withTargets(Set.of(C1));
    }

    @Test
    void aWeightingStrategyThatThrowsFailsTheSendNamingItAndTheNodeGoesOn() throws Exception {
        WeightingStrategy strategy = mock(WeightingStrategy.class);
        when(strategy.effectiveWeight(any(), anyLong(), any())).thenThrow(new IllegalStateException("no weights"));
        WeightingStrategyProvider provider = mock(WeightingStrategyProvider.class);
        when(provider.name()).thenReturn("broken");
        when(provider.isAvailable()).thenReturn(true);
        when(provider.create(any())).thenReturn(strategy);
        FederationNode node = start(builder().weighting(provider, PluginOptions.NONE));

        DeliveryResult r = node.send(message(), voted()).get(10, TimeUnit.SECONDS);
        assertFalse(r.success());
        assertEquals(AbortReason.REJECTED, r.abortReason());
        String why = r.failures().get(C1);
        assertTrue(why.startsWith("weighting strategy " + strategy.getClass().getName() + " failed opening round"),
                why);
        assertTrue(why.endsWith("java.lang.IllegalStateException: no weights"), why);
        assertEquals(1, node.statistics().pluginFailures());
        assertEquals(0, node.statistics().openRounds());
        // the node still serves what needs no weighting
        assertTrue(node.send(message(), DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)).get(10, TimeUnit.SECONDS)
                .success());
    }

    @Test
    void aFaultDetectorThatThrowsWhenARoundOpensFailsTheSendNamingIt() throws Exception {
        FaultDetector detector = mock(FaultDetector.class);
        when(detector.watch(any())).thenThrow(new UnsupportedOperationException("cannot watch"));
        FaultDetectorProvider provider = mock(FaultDetectorProvider.class);
        when(provider.name()).thenReturn("broken");
        when(provider.isAvailable()).thenReturn(true);
        when(provider.create(any())).thenReturn(detector);
        FederationNode node = start(builder().faultDetectors(provider));

        for (int i = 1; i <= 3; i++) {
            DeliveryResult r = node.send(message(), voted()).get(10, TimeUnit.SECONDS);
            assertEquals(AbortReason.REJECTED, r.abortReason());
            assertTrue(r.failures().get(C1).startsWith("fault detector " + detector.getClass().getName()),
                    r.failures().toString());
            assertEquals(i, node.statistics().pluginFailures());
        }
    }

    @Test
    void aSecondSendOfAnIdInFlightIsRefusedAndTheFirstStillCompletes() throws Exception {
        FederationNode node = start(builder());
        Message m = message();
        DeliveryOptions nowhere = DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)
                .withTargets(Set.of(ClusterId.of("c9"))).withTimeout(java.time.Duration.ofSeconds(1));
        CompletableFuture<DeliveryResult> first = node.send(m, nowhere);
        DeliveryResult second = node.send(m, nowhere).get(10, TimeUnit.SECONDS);
        assertEquals(AbortReason.REJECTED, second.abortReason(), second.toString());
        assertEquals("message id " + m.id() + " is being sent from cluster c1 already; send it again once that "
                + "send's result is in", second.failures().get(C1));
        DeliveryResult firstResult = first.get(10, TimeUnit.SECONDS); // never left pending
        assertEquals(AbortReason.TIMEOUT, firstResult.abortReason(), firstResult.toString());
    }

    @Test
    void everySendRacingCloseCompletes() throws Exception {
        for (int run = 0; run < 50; run++) {
            FederationNode node = start(builder());
            ConcurrentLinkedQueue<CompletableFuture<DeliveryResult>> futures = new ConcurrentLinkedQueue<>();
            AtomicInteger refused = new AtomicInteger();
            CountDownLatch sending = new CountDownLatch(SENDERS);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < SENDERS; t++) {
                Thread sender = new Thread(() -> {
                    sending.countDown();
                    while (true) {
                        try {
                            futures.add(node.send(message(), DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)));
                        } catch (IllegalStateException closed) {
                            refused.incrementAndGet(); // sends after close() are refused at once
                            return;
                        }
                    }
                });
                sender.start();
                senders.add(sender);
            }
            assertTrue(sending.await(10, TimeUnit.SECONDS));
            node.close();
            for (Thread sender : senders) {
                sender.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertEquals(SENDERS, refused.get(), "a send after close() was not refused");
            for (CompletableFuture<DeliveryResult> f : futures) {
                DeliveryResult r = f.get(10, TimeUnit.SECONDS); // never left pending
                assertTrue(r.success() || r.abortReason() == AbortReason.CANCELLED, r.toString());
            }
        }
    }

    @Test
    void futuresCompleteOffTheEventLoop() throws Exception {
        FederationNode node = start(builder());
        List<CompletableFuture<String>> threads = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            threads.add(node.send(message(), DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE))
                    .thenApply(r -> Thread.currentThread().getName()));
            threads.add(node.send(message(), voted()).thenApply(r -> Thread.currentThread().getName()));
        }
        for (CompletableFuture<String> t : threads) {
            String name = t.get(10, TimeUnit.SECONDS);
            assertFalse(name.endsWith("-loop"), "a dependent stage ran on the event loop: " + name);
        }
        CompletableFuture<String> acked = new CompletableFuture<>();
        node.subscribe("q", d -> d.ack().thenRun(() -> acked.complete(Thread.currentThread().getName())));
        String name = acked.get(10, TimeUnit.SECONDS);
        assertFalse(name.endsWith("-loop"), "an acknowledgement's stage ran on the event loop: " + name);
    }
}
