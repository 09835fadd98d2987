package io.mpreg.it;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.federation.Delivery;
import io.mpreg.tck.Await;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that falls behind stops reading instead of buffering without bound: c2's event loop is paused while c1 sends
 * it a burst; c2's transport thread waits once the loop holds its inbound limit of messages from the network (counted,
 * and nothing beyond the limit reaches the loop), and when the loop runs again every message arrives, once. Without
 * the limit the whole burst piles up in the paused loop.
 */
class InboundLimitIT {
    private static final int LIMIT = 300;
    private static final int MESSAGES = 3000;

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void aPausedLoopStopsItsReadersAtTheLimitAndLosesNothing(String transport) throws Exception {
        PausableLoop loop = new PausableLoop("paused-c2");
        try (LiveFederation f = new LiveFederation(transport, 2, (id, b) -> id.cluster().value().equals("c2")
                ? b.eventLoop(loop).inboundLimit(LIMIT) : b).start()) {
            f.awaitFullyConnected();
            List<Delivery> at2 = f.subscribe(2, "orders");
            SplittableRandom random = new SplittableRandom(37);
            DeliveryOptions options = DeliveryOptions.of(DeliveryGuarantee.FIRE_AND_FORGET)
                    .withTargets(List.of(ClusterId.of("c2")));
            List<CompletableFuture<DeliveryResult>> sends = new ArrayList<>();
            loop.pause();
            try {
                for (int i = 0; i < MESSAGES; i++) {
                    sends.add(f.node(1).send(Message.builder("orders")
                            .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).build(random), options));
                }
                ObjectName c2 = new ObjectName("io.mpreg:type=FederationNode,node=\"c2/gw\"");
                Await.until(PATIENCE, "c2's transport waits for room in the loop", () -> inboundFull(c2) > 0);
                int held = loop.waiting();
                assertTrue(held <= LIMIT + 50, "the paused loop holds " + held + " tasks, the limit is " + LIMIT
                        + " messages (and a few timers)");
            } finally {
                loop.resume();
            }
            for (CompletableFuture<DeliveryResult> s : sends) {
                assertTrue(LiveFederation.outcome(s).success());
            }
            Await.until(PATIENCE, "every message delivered", () -> at2.size() == MESSAGES, at2::size);
            assertEquals(MESSAGES, new HashSet<>(LiveFederation.texts(at2)).size(), "each once");
        }
    }

    /** Read over JMX: the node's own statistics would need its (paused) loop. */
    private static long inboundFull(ObjectName node) {
        try {
            return (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(node, "InboundFull");
        } catch (javax.management.JMException e) {
            throw new IllegalStateException(e);
        }
    }
}
