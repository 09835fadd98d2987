package io.mpreg.it;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.Threshold;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.FederationStatistics;
import io.mpreg.federation.internal.wire.WireCodec;
import io.mpreg.federation.internal.wire.WireMessage;
import io.mpreg.tck.Await;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCENARIOS A3 live: c3 voted yes in a round that committed, and c1's DECISIONs to it are lost. Past the round's
 * deadline the round is in doubt at c3 (statistics, health WARNING); c3 keeps the message through many more requests
 * than it used to make before giving up, asking c1 (whose answers are still lost) and c2; once its queries reach c2,
 * c2 answers with the certificate it holds and c3 delivers the message once.
 */
class InDoubtIT {
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void aYesVoterThatHearsNoDecisionKeepsTheMessageAndLearnsItFromAnotherTarget(String transport)
            throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 3).start()) {
            f.awaitFullyConnected();
            f.subscribe(1, "orders");
            List<Delivery> at2 = f.subscribe(2, "orders");
            List<Delivery> at3 = f.subscribe(3, "orders");
            f.gate.blockType(f.id(1), f.id(3), WireCodec.DECISION); // c1's answers to c3 are lost
            f.gate.blockType(f.id(3), f.id(2), WireCodec.QUERY); // and, for now, c3's questions to c2
            f.gate.record(f.id(3), f.id(2));
            Message m = Message.builder("orders").payload("agreed".getBytes(StandardCharsets.UTF_8))
                    .build(new SplittableRandom(5));
            DeliveryOptions all = DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM)
                    .withTargets(ClusterId.of("c1"), ClusterId.of("c2"), ClusterId.of("c3"))
                    .withThreshold(Threshold.ALL).withTimeout(Duration.ofSeconds(2));
            DeliveryResult r = LiveFederation.outcome(f.node(1).send(m, all));
            assertTrue(r.success(), r.toString());
            assertEquals(Set.of(ClusterId.of("c1"), ClusterId.of("c2"), ClusterId.of("c3")), r.committedTo());
            Await.until(PATIENCE, "c2 delivers", () -> at2.size() == 1);

            Await.until(PATIENCE, "the round is in doubt at c3", () -> f.node(3).statistics().roundsInDoubt() == 1,
                    () -> f.node(3).statistics());
            FederationStatistics doubt = f.node(3).statistics();
            assertEquals(FederationStatistics.Health.WARNING, doubt.health(), doubt.healthReasons().toString());
            assertEquals(List.of("warning: 1 voted round(s) in doubt: no decision heard past the deadline"),
                    doubt.healthReasons());
            // before, a target gave up after 8 requests and dropped the message: here it asks on
            Await.until(PATIENCE, "c3 asked c2 twelve times",
                    () -> WireTap.recorded(f, 3, 2, WireMessage.DecisionQuery.class, q -> true).size() >= 12);
            assertEquals(0, at3.size());
            assertEquals(1, f.node(3).statistics().roundsInDoubt(), "still held, still in doubt");

            f.gate.unblockType(f.id(3), f.id(2), WireCodec.QUERY);
            Await.until(PATIENCE, "c3 learns the COMMIT from c2 and delivers", () -> at3.size() == 1);
            assertEquals("agreed", new String(at3.get(0).message().payload(), StandardCharsets.UTF_8));
            Await.until(PATIENCE, "no round in doubt at c3", () -> f.node(3).statistics().roundsInDoubt() == 0);
            assertEquals(FederationStatistics.Health.HEALTHY, f.node(3).statistics().health(),
                    f.node(3).statistics().healthReasons().toString());
            assertEquals(0, f.node(3).statistics().forgeriesRefused());
        }
    }
}
