package io.mpreg.it;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.federation.Delivery;
import io.mpreg.tck.Await;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Admission control for unvoted sends: with at most 2 in flight and 3 waiting, of 10 AT_LEAST_ONCE sends to a cluster
 * that does not answer yet (its loop paused), 5 are refused at once as REJECTED with the reason, the other 5 stay
 * pending; when the cluster answers, all 5 succeed, in turn.
 */
class AdmissionIT {

    @Test
    void sendsBeyondTheInFlightAndWaitingBoundsAreRefusedAtOnceAndTheRestComplete() throws Exception {
        PausableLoop loop = new PausableLoop("paused-c2");
        try (LiveFederation f = new LiveFederation("tcp", 2, (id, b) -> id.cluster().value().equals("c2")
                ? b.eventLoop(loop) : b.admission(2, 3)).start()) {
            f.awaitFullyConnected();
            List<Delivery> at2 = f.subscribe(2, "orders");
            SplittableRandom random = new SplittableRandom(41);
            DeliveryOptions options = DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)
                    .withTargets(List.of(ClusterId.of("c2")));
            List<CompletableFuture<DeliveryResult>> sends = new ArrayList<>();
            loop.pause();
            try {
                for (int i = 0; i < 10; i++) {
                    sends.add(f.node(1).send(Message.builder("orders")
                            .payload(("m" + i).getBytes(StandardCharsets.UTF_8)).build(random), options));
                }
                for (int i = 5; i < 10; i++) {
                    DeliveryResult r = LiveFederation.outcome(sends.get(i));
                    assertFalse(r.success(), r.toString());
                    assertEquals(AbortReason.REJECTED, r.abortReason());
                    assertTrue(r.failures().get(ClusterId.of("c1")).contains("2 sends in flight and 3 waiting"),
                            r.failures().toString());
                }
                for (int i = 0; i < 5; i++) {
                    assertFalse(sends.get(i).isDone(), "send " + i + " waits for c2");
                }
                assertEquals(5, f.node(1).statistics().roundsRefused());
            } finally {
                loop.resume();
            }
            for (int i = 0; i < 5; i++) {
                DeliveryResult r = LiveFederation.outcome(sends.get(i));
                assertTrue(r.success(), r.toString());
            }
            Await.until(PATIENCE, "the five admitted delivered", () -> at2.size() == 5, at2::size);
            assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), LiveFederation.texts(at2).stream().sorted().toList());
        }
    }
}
