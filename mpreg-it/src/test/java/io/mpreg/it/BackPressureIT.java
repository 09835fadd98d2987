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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A transport whose queue for a peer is full parks that peer's traffic instead of losing it: c1's transport refuses
 * its next frames to c2 as QUEUE_FULL while a burst of AT_LEAST_ONCE messages goes out; every message arrives once and
 * is acknowledged without a single retry (the retry backoff is ten seconds, so a lost frame would show). Dropping the
 * refused frames, as before, makes each of their messages wait for a retry.
 */
class BackPressureIT {
    private static final int MESSAGES = 200;

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void aFullTransportQueueParksThePeersTrafficAndLosesNothing(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 2,
                (id, b) -> b.retryBackoff(Duration.ofSeconds(10), Duration.ofSeconds(20))).start()) {
            f.awaitFullyConnected();
            List<Delivery> at2 = f.subscribe(2, "orders");
            f.gate.congest(f.id(1), f.id(2), 20);
            SplittableRandom random = new SplittableRandom(31);
            DeliveryOptions options = DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)
                    .withTargets(List.of(ClusterId.of("c2")));
            List<CompletableFuture<DeliveryResult>> sends = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                sends.add(f.node(1).send(Message.builder("orders").payload(("m" + i).getBytes(StandardCharsets.UTF_8))
                        .build(random), options));
            }
            for (CompletableFuture<DeliveryResult> s : sends) {
                DeliveryResult r = LiveFederation.outcome(s);
                assertTrue(r.success(), r.toString());
            }
            assertEquals(0, f.gate.congestionLeft(f.id(1), f.id(2)), "every refusal was met");
            assertEquals(0, f.node(1).statistics().retries(), "no message needed a retry: nothing was dropped");
            assertTrue(f.node(1).statistics().transportCongested() > 0, "the parking was counted");
            Await.until(PATIENCE, "every message delivered", () -> at2.size() == MESSAGES, at2::size);
            assertEquals(MESSAGES, new HashSet<>(LiveFederation.texts(at2)).size(), "each once");
        }
    }
}
