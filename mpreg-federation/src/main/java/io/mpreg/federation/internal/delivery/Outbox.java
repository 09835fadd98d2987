package io.mpreg.federation.internal.delivery;

import io.mpreg.federation.internal.Counters;
import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.api.VectorClock;
import io.mpreg.federation.EventLoop;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The sending side of a node: every message in flight with its targets' outcomes, its retry timer and its deadline.
 * Loop-thread only. A message completes once every target has acknowledged, refused or timed out; see
 * {@link #complete} for how outcomes become a {@link DeliveryResult}.
 */
public final class Outbox {

    /** One message in flight. */
    public static final class Pending {
        final Message message;
        final DeliveryOptions options;
        final java.time.Duration timeout;
        final SortedSet<ClusterId> targets;
        final VectorClock clock;
        final CompletableFuture<DeliveryResult> future;
        final long startedAt;
        /** Identifies this send: its retransmissions carry it, another send of the same id does not. */
        final long token;
        final SortedSet<ClusterId> acked = new TreeSet<>();
        final SortedMap<ClusterId, String> failures = new TreeMap<>();
        final Map<ClusterId, AbortReason> reasons = new HashMap<>();
        int attempts = 1;
        /** Whether its frames may go out (a CAUSAL send waits until its own records are on disk). */
        boolean released = true;
        EventLoop.Timer retry;
        EventLoop.Timer deadline;

        Pending(Message message, DeliveryOptions options, java.time.Duration timeout, SortedSet<ClusterId> targets,
                VectorClock clock, CompletableFuture<DeliveryResult> future, long startedAt, long token) {
            this.token = token;
            this.timeout = timeout;
            this.message = message;
            this.options = options;
            this.targets = targets;
            this.clock = clock;
            this.future = future;
            this.startedAt = startedAt;
        }

        MessageId id() {
            return message.id();
        }

        DeliveryGuarantee guarantee() {
            return options.guarantee();
        }

        boolean resolved(ClusterId target) {
            return acked.contains(target) || failures.containsKey(target);
        }

        boolean done() {
            return acked.size() + failures.size() == targets.size();
        }

        void fail(ClusterId target, AbortReason reason, String why) {
            if (!resolved(target)) {
                failures.put(target, why);
                reasons.put(target, reason);
            }
        }
    }

    private final Map<MessageId, Pending> inFlight = new HashMap<>();
    private final Counters counters;
    private final java.util.function.Consumer<Pending> completed;

    /** {@code completed} sees every send that ends (not those cancelled by a close). */
    public Outbox(Counters counters, java.util.function.Consumer<Pending> completed) {
        this.counters = counters;
        this.completed = completed;
    }

    public void add(Pending p) {
        inFlight.put(p.id(), p);
    }

    public Pending get(MessageId id) {
        return inFlight.get(id);
    }

    /** Sees every send in flight. */
    public void forEach(java.util.function.Consumer<Pending> visitor) {
        inFlight.values().forEach(visitor);
    }

    public int size() {
        return inFlight.size();
    }

    /**
     * Ends {@code p}: AT_LEAST_ONCE, CAUSAL and FIRE_AND_FORGET succeed when no target failed; BROADCAST succeeds when
     * every target acknowledged ({@code requireAll}) or more than half did. A failed result keeps the clusters that
     * did acknowledge in {@code deliveredTo}, names each failed cluster with its reason, and carries TIMEOUT if any
     * target timed out, else NO_ROUTE if any had no route, else REJECTED.
     */
    public void complete(Pending p) {
        inFlight.remove(p.id());
        if (p.retry != null) {
            p.retry.cancel();
        }
        if (p.deadline != null) {
            p.deadline.cancel();
        }
        completed.accept(p);
        if (p.future == null) {
            return; // a retransmission of this node's own after its restart: no caller waits for it
        }
        boolean success = p.guarantee() == DeliveryGuarantee.BROADCAST && !p.options.requireAll()
                ? p.acked.size() * 2 > p.targets.size() : p.failures.isEmpty();
        DeliveryResult result;
        if (success) {
            counters.succeeded.increment();
            result = new DeliveryResult(p.id(), p.guarantee(), true, new TreeSet<>(), p.acked, p.failures, null);
        } else {
            counters.failed.increment();
            AbortReason reason = p.reasons.containsValue(AbortReason.TIMEOUT) ? AbortReason.TIMEOUT
                    : p.reasons.containsValue(AbortReason.NO_ROUTE) ? AbortReason.NO_ROUTE : AbortReason.REJECTED;
            result = new DeliveryResult(p.id(), p.guarantee(), false, new TreeSet<>(), p.acked, p.failures, reason);
        }
        p.future.complete(result);
    }

    /** Fails everything still in flight (the node is closing). */
    public void cancelAll(String why) {
        for (Pending p : inFlight.values().toArray(new Pending[0])) {
            for (ClusterId t : p.targets) {
                p.fail(t, AbortReason.CANCELLED, why);
            }
            inFlight.remove(p.id());
            if (p.retry != null) {
                p.retry.cancel();
            }
            if (p.future == null) {
                continue;
            }
            counters.failed.increment();
            p.future.complete(new DeliveryResult(p.id(), p.guarantee(), false, new TreeSet<>(), p.acked, p.failures,
                    AbortReason.CANCELLED));
        }
    }
}
