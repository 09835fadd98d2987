package io.mpreg.federation.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.MessageId;
import io.mpreg.api.VectorClock;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.internal.wire.WireMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The receiving side of a node: subscribers per queue, the dedup window of delivered message ids (Caffeine,
 * expiring on the loop's clock; only accepted messages are recorded, so a refusal never poisons it), and CAUSAL
 * delivery with vector clocks and a bounded hold-back buffer. Loop-thread only, except {@link #subscribe}'s list,
 * which the loop reads and API callers change.
 *
 * <p>CAUSAL is a causal broadcast: every CAUSAL message goes to every cluster the sender reaches, and {@link #clock}
 * counts, per origin, the CAUSAL messages delivered here (the sender's own entry counts its sends). A message from
 * {@code o} is delivered when it is the next one from {@code o} and everything its clock says it depends on was
 * delivered here; otherwise it waits. When the buffer is full the newest message is refused with a NACK ("causal
 * hold-back buffer full") and counted; its sender sees the refusal.
 */
final class Inbox {
    private static final Logger LOG = LoggerFactory.getLogger(Inbox.class);

    /** What became of an arriving message. */
    enum Outcome { DELIVERED, DUPLICATE, HELD, REFUSED }

    private final NodeSettings settings;
    private final Counters counters;
    private final Map<String, List<Consumer<Delivery>>> subscribers = new java.util.concurrent.ConcurrentHashMap<>();
    private final Cache<MessageId, Boolean> seen;
    private final List<WireMessage.Deliver> heldBack = new ArrayList<>();
    private VectorClock clock = VectorClock.empty();
    private String refusal;

    Inbox(NodeSettings settings, Counters counters, EventLoop loop) {
        this.settings = settings;
        this.counters = counters;
        this.seen = Caffeine.newBuilder().expireAfterWrite(settings.dedupWindow())
                .maximumSize(settings.dedupCapacity()).ticker(loop::nanoTime).executor(Runnable::run).build();
    }

    Runnable subscribe(String queue, Consumer<Delivery> handler) {
        List<Consumer<Delivery>> list = subscribers.computeIfAbsent(queue, q -> new CopyOnWriteArrayList<>());
        list.add(handler);
        return () -> list.remove(handler);
    }

    boolean hasQueue(String queue) {
        List<Consumer<Delivery>> list = subscribers.get(queue);
        return list != null && !list.isEmpty();
    }

    /** Whether message {@code id} was delivered here inside the dedup window. */
    boolean delivered(MessageId id) {
        return seen.getIfPresent(id) != null;
    }

    /** A voted message committed: hand it to the subscribers once. */
    void commit(io.mpreg.api.Message message, ClusterId origin, DeliveryGuarantee guarantee) {
        if (seen.getIfPresent(message.id()) != null) {
            counters.duplicates.increment();
            return;
        }
        seen.put(message.id(), Boolean.TRUE);
        hand(new WireMessage.Deliver(message.id(), origin, settings.node().cluster(), guarantee, message, null, 0,
                List.of()));
    }

    /** Why the last arrival was refused. */
    String refusal() {
        return refusal;
    }

    /** The clock a new CAUSAL message from this node carries (this node's entry advanced by one). */
    VectorClock nextCausalClock() {
        return clock.increment(settings.node().cluster());
    }

    /** A message for this cluster arrived (or was sent to it by its own node). */
    Outcome arrive(WireMessage.Deliver d) {
        if (seen.getIfPresent(d.id()) != null) {
            counters.duplicates.increment();
            return Outcome.DUPLICATE;
        }
        if (d.guarantee() == DeliveryGuarantee.CAUSAL) {
            return arriveCausal(d);
        }
        if (!hasQueue(d.message().queue())) {
            refusal = "no queue '" + d.message().queue() + "' on cluster " + settings.node().cluster();
            counters.refused.increment();
            return Outcome.REFUSED;
        }
        seen.put(d.id(), Boolean.TRUE);
        hand(d);
        return Outcome.DELIVERED;
    }

    private Outcome arriveCausal(WireMessage.Deliver d) {
        if (d.clock() == null) {
            refusal = "CAUSAL message without a vector clock";
            counters.refused.increment();
            return Outcome.REFUSED;
        }
        if (d.clock().get(d.origin()) <= clock.get(d.origin())) {
            seen.put(d.id(), Boolean.TRUE); // delivered before the dedup window knew it (for example: its own send)
            counters.duplicates.increment();
            return Outcome.DUPLICATE;
        }
        if (!deliverable(d)) {
            if (heldBack.size() >= settings.holdBackCapacity()) {
                refusal = "causal hold-back buffer full (" + settings.holdBackCapacity() + " messages)";
                counters.overflow.increment();
                counters.refused.increment();
                return Outcome.REFUSED;
            }
            seen.put(d.id(), Boolean.TRUE);
            heldBack.add(d);
            counters.heldBack.increment();
            return Outcome.HELD;
        }
        seen.put(d.id(), Boolean.TRUE);
        deliverCausal(d);
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = 0; i < heldBack.size(); i++) {
                if (deliverable(heldBack.get(i))) {
                    deliverCausal(heldBack.remove(i));
                    progress = true;
                    break;
                }
            }
        }
        return Outcome.DELIVERED;
    }

    private boolean deliverable(WireMessage.Deliver d) {
        ClusterId origin = d.origin();
        if (d.clock().get(origin) != clock.get(origin) + 1) {
            return false;
        }
        for (Map.Entry<ClusterId, Long> e : d.clock().entries().entrySet()) {
            if (!e.getKey().equals(origin) && e.getValue() > clock.get(e.getKey())) {
                return false;
            }
        }
        return true;
    }

    private void deliverCausal(WireMessage.Deliver d) {
        TreeMap<ClusterId, Long> next = new TreeMap<>(clock.entries());
        next.put(d.origin(), d.clock().get(d.origin()));
        clock = VectorClock.of(next);
        if (hasQueue(d.message().queue())) {
            hand(d);
        }
    }

    private void hand(WireMessage.Deliver d) {
        counters.delivered.increment();
        Delivery delivery = new Delivery(d.message(), d.origin(), d.guarantee(), d.clock());
        for (Consumer<Delivery> handler : subscribers.getOrDefault(d.message().queue(), List.of())) {
            settings.subscribers().execute(() -> {
                try {
                    handler.accept(delivery);
                } catch (RuntimeException e) {
                    LOG.warn("{}: subscriber of '{}' threw on {}", settings.node(), d.message().queue(), d.id(), e);
                }
            });
        }
    }
}
