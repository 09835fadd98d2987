package io.mpreg.launcher;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.queue.AckOutcome;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The demo's receiver check breaks on each way a receiver can differ from what its sender was told. */
class ReceiversTest {
    private static final ClusterId C1 = ClusterId.of("c1");
    private static final ClusterId C2 = ClusterId.of("c2");
    private static final ClusterId TWIN = ClusterId.of("twin1");
    private final SplittableRandom random = new SplittableRandom(1);

    private Message message() {
        return Message.builder("demo").payload(new byte[] {1}).build(random);
    }

    private static Delivery delivery(Message m, ClusterId at) {
        return new Delivery(m, C1, DeliveryGuarantee.GLOBAL_QUORUM, null, at, 1,
                ack -> CompletableFuture.completedFuture(AckOutcome.ACKED));
    }

    private static DeliveryResult committed(Message m, ClusterId... to) {
        return new DeliveryResult(m.id(), DeliveryGuarantee.GLOBAL_QUORUM, true, new TreeSet<>(List.of(to)),
                new TreeSet<>(List.of(to)), new TreeMap<>(), null);
    }

    private static DeliveryResult aborted(Message m) {
        return new DeliveryResult(m.id(), DeliveryGuarantee.GLOBAL_QUORUM, false, new TreeSet<>(), new TreeSet<>(),
                new TreeMap<>(Map.of(C2, "no")), AbortReason.QUORUM_IMPOSSIBLE);
    }

    private Receivers receivers() {
        return new Receivers(new TreeSet<>(List.of(C1, C2)));
    }

    @Test
    void exactlyOnceWhereCommittedPasses() {
        Receivers r = receivers();
        Message m = message();
        r.record(C1, delivery(m, C1));
        r.record(C2, delivery(m, C2));
        r.record(TWIN, delivery(message(), TWIN)); // a twin's deliveries are not checked
        assertEquals(List.of(), r.violations(List.of(committed(m, C1, C2, TWIN))));
        assertEquals(true, r.caughtUp(List.of(committed(m, C1, C2))));
        assertEquals(2, r.total());
    }

    @Test
    void eachKindOfDifferenceIsAViolation() {
        Receivers r = receivers();
        Message missing = message();
        Message twice = message();
        Message uncommitted = message();
        Message stranger = message();
        r.record(C1, delivery(missing, C1));
        r.record(C1, delivery(twice, C1));
        r.record(C1, delivery(twice, C1));
        r.record(C2, delivery(uncommitted, C2));
        r.record(C2, delivery(stranger, C2));
        assertEquals(false, r.caughtUp(List.of(committed(missing, C1, C2))));
        assertEquals(List.of(
                "c2 delivered " + missing.id() + " 0 times; the sender was told it committed there",
                "c1 delivered " + twice.id() + " 2 times; the sender was told it committed there",
                "c1 delivered " + twice.id() + " 2 times",
                "c2 delivered " + uncommitted.id() + ", which did not commit (QUORUM_IMPOSSIBLE)",
                "c2 delivered " + stranger.id() + ", which was never sent"),
                r.violations(List.of(committed(missing, C1, C2), committed(twice, C1), aborted(uncommitted))));
    }
}
