package io.mpreg.launcher;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.MessageId;
import io.mpreg.federation.Delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the demo's subscribers received, per honest cluster, checked against what the senders were told: every
 * cluster a message committed to (voted) or that acknowledged it (the others) delivered it exactly once; no honest
 * cluster delivered a message twice, one that did not commit, or one that was never sent. A twin's deliveries are its
 * own business and not checked.
 */
final class Receivers {
    private final SortedSet<ClusterId> honest;
    private final Map<ClusterId, Map<MessageId, AtomicInteger>> received = new ConcurrentHashMap<>();

    /** {@code honest}: the clusters whose subscribers are checked. */
    Receivers(SortedSet<ClusterId> honest) {
        this.honest = honest;
        honest.forEach(c -> received.put(c, new ConcurrentHashMap<>()));
    }

    /** The subscriber of {@code cluster}: records what it is handed (any thread). */
    void record(ClusterId cluster, Delivery d) {
        Map<MessageId, AtomicInteger> at = received.get(cluster);
        if (at != null) {
            at.computeIfAbsent(d.message().id(), id -> new AtomicInteger()).incrementAndGet();
        }
    }

    /** Deliveries at the honest clusters so far. */
    long total() {
        return received.values().stream().flatMap(m -> m.values().stream()).mapToLong(AtomicInteger::get).sum();
    }

    /** Whether every cluster the senders were told of has delivered its messages (the deliveries may lag the acks). */
    boolean caughtUp(List<DeliveryResult> results) {
        for (DeliveryResult r : results) {
            for (ClusterId c : promised(r)) {
                if (count(c, r.messageId()) < 1) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Every way the receivers differ from what the senders were told, one line each (empty: none). */
    List<String> violations(List<DeliveryResult> results) {
        List<String> out = new ArrayList<>();
        Set<MessageId> sent = new java.util.HashSet<>();
        for (DeliveryResult r : results) {
            sent.add(r.messageId());
            for (ClusterId c : promised(r)) {
                int n = count(c, r.messageId());
                if (n != 1) {
                    out.add(c + " delivered " + r.messageId() + " " + n + " times; the sender was told it "
                            + (r.guarantee().isVoted() ? "committed there" : "was acknowledged there"));
                }
            }
            for (ClusterId c : honest) {
                int n = count(c, r.messageId());
                if (n > 1) {
                    out.add(c + " delivered " + r.messageId() + " " + n + " times");
                } else if (n > 0 && r.guarantee().isVoted() && !r.success()) {
                    out.add(c + " delivered " + r.messageId() + ", which did not commit (" + r.abortReason() + ")");
                }
            }
        }
        received.forEach((c, at) -> at.keySet().stream().filter(id -> !sent.contains(id))
                .forEach(id -> out.add(c + " delivered " + id + ", which was never sent")));
        return out;
    }

    /** The honest clusters that must have delivered {@code r}'s message once: none for fire-and-forget. */
    private SortedSet<ClusterId> promised(DeliveryResult r) {
        SortedSet<ClusterId> out = new TreeSet<>();
        if (r.success() && r.guarantee() != DeliveryGuarantee.FIRE_AND_FORGET) {
            (r.guarantee().isVoted() ? r.committedTo() : r.deliveredTo()).stream().filter(honest::contains)
                    .forEach(out::add);
        }
        return out;
    }

    private int count(ClusterId cluster, MessageId id) {
        AtomicInteger n = received.getOrDefault(cluster, Map.of()).get(id);
        return n == null ? 0 : n.get();
    }
}
