package io.mpreg.federation.internal.delivery;

import io.mpreg.api.ClusterId;
import io.mpreg.api.VectorClock;
import io.mpreg.federation.internal.wire.WireMessage;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * CAUSAL messages held back until their causal past is delivered, indexed by origin and by the origin's entry in
 * their clock. A message from origin {@code o} can only become deliverable when the local clock's {@code o} entry
 * is one below its own, so after each delivery only one slot per origin needs a look: finding the next deliverable
 * message costs a look per origin, not a scan of everything held (which made a long cascade quadratic). Among
 * deliverable messages the one held longest goes first, as a scan in arrival order would pick it. Loop-thread only.
 *
 * @param <T> what is held (a message and what goes with it)
 */
final class HoldBack<T> {
    private final Function<T, WireMessage.Deliver> message;
    /** Everything held, in arrival order (each with its arrival number). */
    private final LinkedHashMap<T, Long> held = new LinkedHashMap<>();
    /** By origin, then by the origin's entry in the message's clock. */
    private final Map<ClusterId, TreeMap<Long, List<T>>> byOrigin = new TreeMap<>();
    private long arrivals;

    HoldBack(Function<T, WireMessage.Deliver> message) {
        this.message = message;
    }

    int size() {
        return held.size();
    }

    void add(T t) {
        held.put(t, arrivals++);
        WireMessage.Deliver d = message.apply(t);
        byOrigin.computeIfAbsent(d.origin(), o -> new TreeMap<>())
                .computeIfAbsent(d.clock().get(d.origin()), s -> new ArrayList<>()).add(t);
    }

    /** Visits everything held, in arrival order. */
    void forEach(Consumer<T> visitor) {
        held.keySet().forEach(visitor);
    }

    /**
     * Takes out the deliverable message held longest, or returns null: candidates are those whose origin entry is
     * one above {@code clock}'s, checked with {@code deliverable}.
     */
    T pollDeliverable(VectorClock clock, Predicate<WireMessage.Deliver> deliverable) {
        T best = null;
        long bestArrival = Long.MAX_VALUE;
        for (Map.Entry<ClusterId, TreeMap<Long, List<T>>> e : byOrigin.entrySet()) {
            List<T> next = e.getValue().get(clock.get(e.getKey()) + 1);
            if (next == null) {
                continue;
            }
            for (T t : next) {
                long arrival = held.get(t);
                if (arrival < bestArrival && deliverable.test(message.apply(t))) {
                    best = t;
                    bestArrival = arrival;
                }
            }
        }
        if (best != null) {
            remove(best);
        }
        return best;
    }

    private void remove(T t) {
        held.remove(t);
        WireMessage.Deliver d = message.apply(t);
        TreeMap<Long, List<T>> slots = byOrigin.get(d.origin());
        long seq = d.clock().get(d.origin());
        List<T> same = slots.get(seq);
        for (Iterator<T> i = same.iterator(); i.hasNext(); ) {
            if (i.next() == t) {
                i.remove();
                break;
            }
        }
        if (same.isEmpty()) {
            slots.remove(seq);
            if (slots.isEmpty()) {
                byOrigin.remove(d.origin());
            }
        }
    }
}
