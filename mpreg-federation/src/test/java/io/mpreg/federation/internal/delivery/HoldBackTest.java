package io.mpreg.federation.internal.delivery;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.api.VectorClock;
import io.mpreg.federation.internal.wire.WireMessage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The indexed hold-back delivers exactly what, and in exactly the order, a scan of everything held in arrival order
 * (the earlier implementation, kept here as the reference) delivers, over random causal histories from four origins
 * arriving shuffled, with duplicates of a clock entry (a lying origin) thrown in.
 */
class HoldBackTest {
    private static final List<ClusterId> ORIGINS = List.of(ClusterId.of("a"), ClusterId.of("b"), ClusterId.of("c"),
            ClusterId.of("d"));

    @Test
    void deliversAsTheArrivalOrderScanDoes() {
        for (int seed = 0; seed < 200; seed++) {
            List<WireMessage.Deliver> arrivals = history(new SplittableRandom(seed));
            assertEquals(scan(arrivals), indexed(arrivals), "seed " + seed);
        }
    }

    /** Each origin sends in turn, its clock having seen some of the others' messages; arrivals shuffled. */
    private static List<WireMessage.Deliver> history(SplittableRandom random) {
        List<WireMessage.Deliver> sent = new ArrayList<>();
        TreeMap<ClusterId, VectorClock> clocks = new TreeMap<>();
        ORIGINS.forEach(o -> clocks.put(o, VectorClock.empty()));
        for (int i = 0; i < 60; i++) {
            ClusterId o = ORIGINS.get(random.nextInt(ORIGINS.size()));
            ClusterId from = ORIGINS.get(random.nextInt(ORIGINS.size()));
            VectorClock seen = clocks.get(from);
            TreeMap<ClusterId, Long> merged = new TreeMap<>(clocks.get(o).entries());
            if (random.nextBoolean()) { // o has seen what 'from' had seen
                seen.entries().forEach((k, v) -> merged.merge(k, v, Math::max));
            }
            VectorClock next = VectorClock.of(merged).increment(o);
            clocks.put(o, next);
            sent.add(deliver(i, o, next));
            if (random.nextInt(15) == 0) { // a second, different message under the same clock entry
                sent.add(deliver(1000 + i, o, next));
            }
        }
        Collections.shuffle(sent, new Random(random.nextLong()));
        return sent;
    }

    private static WireMessage.Deliver deliver(int n, ClusterId origin, VectorClock clock) {
        return new WireMessage.Deliver(new MessageId(n, n), origin, ClusterId.of("z"), DeliveryGuarantee.CAUSAL,
                Message.builder("q").id(new MessageId(n, n)).payload(new byte[] {(byte) n}).build(), clock, 0, n, 1,
                List.of(origin));
    }

    private static boolean deliverable(WireMessage.Deliver d, VectorClock clock) {
        if (d.clock().get(d.origin()) != clock.get(d.origin()) + 1) {
            return false;
        }
        return d.clock().entries().entrySet().stream()
                .allMatch(e -> e.getKey().equals(d.origin()) || e.getValue() <= clock.get(e.getKey()));
    }

    private static VectorClock advance(VectorClock clock, WireMessage.Deliver d) {
        TreeMap<ClusterId, Long> next = new TreeMap<>(clock.entries());
        next.put(d.origin(), d.clock().get(d.origin()));
        return VectorClock.of(next);
    }

    /** The reference: everything held in a list, rescanned from the start after each delivery. */
    private static List<MessageId> scan(List<WireMessage.Deliver> arrivals) {
        List<MessageId> out = new ArrayList<>();
        List<WireMessage.Deliver> held = new ArrayList<>();
        VectorClock clock = VectorClock.empty();
        for (WireMessage.Deliver d : arrivals) {
            if (d.clock().get(d.origin()) <= clock.get(d.origin())) {
                continue; // delivered already
            }
            held.add(d);
            boolean progress = true;
            while (progress) {
                progress = false;
                for (int i = 0; i < held.size(); i++) {
                    if (deliverable(held.get(i), clock)) {
                        WireMessage.Deliver next = held.remove(i);
                        out.add(next.id());
                        clock = advance(clock, next);
                        progress = true;
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static List<MessageId> indexed(List<WireMessage.Deliver> arrivals) {
        List<MessageId> out = new ArrayList<>();
        HoldBack<WireMessage.Deliver> held = new HoldBack<>(d -> d);
        VectorClock clock = VectorClock.empty();
        for (WireMessage.Deliver d : arrivals) {
            if (d.clock().get(d.origin()) <= clock.get(d.origin())) {
                continue;
            }
            held.add(d);
            VectorClock now = clock;
            for (WireMessage.Deliver next = held.pollDeliverable(now, x -> deliverable(x, clockOf(out, arrivals)));
                 next != null; next = held.pollDeliverable(clockOf(out, arrivals),
                    x -> deliverable(x, clockOf(out, arrivals)))) {
                out.add(next.id());
            }
            clock = clockOf(out, arrivals);
        }
        return out;
    }

    /** The clock after delivering {@code delivered} (looked up among {@code all}), in order. */
    private static VectorClock clockOf(List<MessageId> delivered, List<WireMessage.Deliver> all) {
        VectorClock clock = VectorClock.empty();
        for (MessageId id : delivered) {
            for (WireMessage.Deliver d : all) {
                if (d.id().equals(id)) {
                    clock = advance(clock, d);
                    break;
                }
            }
        }
        return clock;
    }
}
