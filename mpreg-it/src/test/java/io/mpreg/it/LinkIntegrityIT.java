package io.mpreg.it;

import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.Message;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.FederationStatistics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static io.mpreg.it.LiveFederation.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replay protection and bad frames between live nodes (issue 11): frames a wiretap recorded on a link and sent again
 * are refused and counted, before and after the receiver restarts, and none reaches a queue twice; a frame the node
 * cannot decode is counted and, over tcp, closes the connection, which comes back.
 */
class LinkIntegrityIT {
    private static final int MESSAGES = 20;
    private final SplittableRandom random = new SplittableRandom(11);

    private Message message(String text) {
        return Message.builder("orders").payload(text.getBytes(StandardCharsets.UTF_8)).build(random);
    }

    private void send(LiveFederation f, String text) throws Exception {
        assertTrue(LiveFederation.outcome(f.node(1).send(message(text),
                DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE))).success(), text);
    }

    /** c2 holds queue "orders" with a recording subscriber; c1 has discovered it. */
    private static List<Delivery> ordersOnC2(LiveFederation f) {
        List<Delivery> got = f.subscribe(2, "orders");
        Await.until(PATIENCE, "c1 discovers c2's queue", () -> !f.node(1).discoverQueues("orders").isEmpty(),
                () -> f.node(1).discoverQueues("*"));
        return got;
    }

    /** Sends every frame of {@code frames} again from c1 to c2; returns how many the transport took. */
    private static int replay(LiveFederation f, List<byte[]> frames) {
        int sent = 0;
        for (byte[] frame : frames) {
            sent += f.gate.inject(f.id(1), f.id(2), frame) == SendStatus.ACCEPTED ? 1 : 0;
        }
        return sent;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void framesRecordedOnALinkAndSentAgainAreRefusedAndCounted(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 2).start()) {
            f.awaitFullyConnected();
            List<Delivery> got = ordersOnC2(f);
            f.gate.record(f.id(1), f.id(2));
            for (int i = 0; i < MESSAGES; i++) {
                send(f, "m" + i);
            }
            Await.until(PATIENCE, "c2 took every message", () -> got.size() == MESSAGES, got::size);
            List<byte[]> tapped = f.gate.recorded(f.id(1), f.id(2));
            assertTrue(tapped.size() >= MESSAGES, "the tap saw the deliveries: " + tapped.size());
            FederationStatistics before = f.node(2).statistics();

            int replayed = replay(f, tapped);
            assertEquals(tapped.size(), replayed, "the transport took every replayed frame");
            FederationNode c2 = f.node(2);
            Await.until(PATIENCE, "c2 refuses every replayed frame",
                    () -> c2.statistics().framesReplayed() - before.framesReplayed() == replayed,
                    () -> c2.statistics().framesReplayed() - before.framesReplayed());
            send(f, "fresh"); // behind the replays on the same link: they were all handled before it
            Await.until(PATIENCE, "the fresh message arrives", () -> got.size() == MESSAGES + 1, got::size);
            FederationStatistics after = c2.statistics();
            assertEquals(before.duplicatesDropped(), after.duplicatesDropped(),
                    "no replayed delivery got as far as the queue's dedup");
            assertEquals(before.framesStale(), after.framesStale());
            assertEquals(before.framesUndecodable(), after.framesUndecodable());
            assertEquals("fresh", texts(got).get(MESSAGES));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void framesRecordedBeforeTheReceiverRestartedAreRefusedByItsNewIncarnation(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 2).start()) {
            f.awaitFullyConnected();
            List<Delivery> old = ordersOnC2(f);
            f.gate.record(f.id(1), f.id(2));
            for (int i = 0; i < MESSAGES; i++) {
                send(f, "m" + i);
            }
            Await.until(PATIENCE, "c2 took every message", () -> old.size() == MESSAGES, old::size);
            List<byte[]> tapped = f.gate.recorded(f.id(1), f.id(2));

            FederationNode c2 = f.restart(2); // a new incarnation: empty queues, empty dedup window
            f.awaitFullyConnected();
            List<Delivery> got = ordersOnC2(f);
            FederationStatistics before = c2.statistics();
            int replayed = replay(f, tapped);
            Await.until(PATIENCE, "c2 refuses every frame meant for its previous incarnation",
                    () -> refusals(c2.statistics()) - refusals(before) == replayed,
                    () -> c2.statistics().framesStale() + " stale, " + c2.statistics().framesReplayed() + " replayed");
            assertTrue(c2.statistics().framesStale() - before.framesStale() >= MESSAGES,
                    "at least the deliveries were addressed to the old incarnation");
            send(f, "fresh");
            Await.until(PATIENCE, "the fresh message arrives", () -> got.size() == 1, got::size);
            assertEquals(List.of("fresh"), texts(got), "no message of the old incarnation was delivered again");
        }
    }

    private static long refusals(FederationStatistics s) {
        return s.framesStale() + s.framesReplayed();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void anUndecodableFrameIsCountedAndOverTcpClosesTheConnectionWhichComesBack(String transport) throws Exception {
        try (LiveFederation f = new LiveFederation(transport, 2).start()) {
            f.awaitFullyConnected();
            List<Delivery> got = ordersOnC2(f);
            send(f, "before");
            int downs = f.gate.downs(f.id(1), f.id(2));
            byte[] unknownType = {'M', 'F', 2, 99, 1, 2, 3};
            assertEquals(SendStatus.ACCEPTED, f.gate.inject(f.id(1), f.id(2), unknownType));
            FederationNode c2 = f.node(2);
            Await.until(PATIENCE, "c2 counts the undecodable frame", () -> c2.statistics().framesUndecodable() == 1,
                    () -> c2.statistics().framesUndecodable());
            if (transport.equals("tcp")) {
                Await.until(PATIENCE, "c1 sees the connection closed", () -> f.gate.downs(f.id(1), f.id(2)) > downs,
                        () -> f.gate.downs(f.id(1), f.id(2)));
            }
            f.awaitFullyConnected();
            send(f, "after");
            Await.until(PATIENCE, "both messages arrive", () -> got.size() == 2, got::size);
            assertEquals(List.of("before", "after"), texts(got));
        }
    }
}
