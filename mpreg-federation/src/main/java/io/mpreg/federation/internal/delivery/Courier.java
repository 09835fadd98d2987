package io.mpreg.federation.internal.delivery;

import io.mpreg.federation.internal.Counters;
import io.mpreg.federation.internal.NodeSettings;
import io.mpreg.federation.internal.link.Router;
import io.mpreg.federation.internal.queue.Discovery;
import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.federation.internal.log.Journal;
import io.mpreg.federation.internal.log.RecordInput;
import io.mpreg.federation.internal.log.RecordTypes;
import io.mpreg.federation.internal.log.RecordWriter;
import io.mpreg.federation.internal.log.StateLog;
import io.mpreg.api.VectorClock;
import io.mpreg.federation.EventLoop;
import io.mpreg.federation.queue.NoSuchQueueException;
import io.mpreg.federation.internal.link.Links;
import io.mpreg.federation.internal.wire.WireMessage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * The guarantees that need no vote, both sides: FIRE_AND_FORGET, AT_LEAST_ONCE (acks when the target's queue stored
 * the message, retries with capped jittered backoff until the deadline, NACK with the reason, TIMEOUT), QUORUM (as
 * AT_LEAST_ONCE, but the target acknowledges once {@code requiredAcks} of its queue's subscribers did), BROADCAST
 * (redundant first hops, requireAll or majority) and CAUSAL (via the {@link Inbox}'s vector clocks). A send without
 * targets goes to the cluster that holds the queue (BROADCAST: every one). Loop-thread only.
 *
 * <p>A CAUSAL send is in the node's log (with its place in this cluster's causal order) before any frame of it
 * leaves, until every target answered: a restarted sender sends it again, so no receiver waits for ever for a message
 * whose number it never got, and no later message of this cluster reuses that number.
 */
public final class Courier {

    private final NodeSettings settings;
    private final EventLoop loop;
    private final Counters counters;
    private final Inbox inbox;
    private final Discovery discovery;
    private final Router router;
    private final Links network;
    private final Outbox outbox;
    private final Timeouts timeouts;
    private final ClusterId self;
    private final StateLog log;
    private final Map<MessageId, Outbox.Pending> recovering = new LinkedHashMap<>();
    /** Sends waiting for room in the outbox (admission control), in order. */
    private final java.util.ArrayDeque<Waiting> waiting = new java.util.ArrayDeque<>();
    private boolean admitPosted;
    /** The ACKs and NACKs this cluster sends back. */
    private final Answers answers;

    private record Waiting(Message message, DeliveryOptions options, CompletableFuture<DeliveryResult> future) {
    }

    public Courier(NodeSettings settings, EventLoop loop, Counters counters, Inbox inbox, Discovery discovery, Router router,
            Links network, Timeouts timeouts, StateLog log) {
        this.log = log;
        this.discovery = discovery;
        this.timeouts = timeouts;
        this.settings = settings;
        this.loop = loop;
        this.counters = counters;
        this.inbox = inbox;
        this.router = router;
        this.network = network;
        this.outbox = new Outbox(counters, this::ended);
        this.self = settings.node().cluster();
        this.answers = new Answers(settings, loop, counters, router, network);
    }

    /**
     * Sends {@code message}; the future completes as the guarantee says. Admits the send: at once while fewer than {@code maxConcurrentRounds} sends are in flight (awaiting their
     * acknowledgements) and none waits; else behind the others, up to {@code maxWaitingRounds} waiting; beyond,
     * refused (REJECTED, counted as refused by admission). Full means wait, up to a bound, never an unbounded outbox.
     */
    public void send(Message message, DeliveryOptions options, CompletableFuture<DeliveryResult> future) {
        if (outbox.size() < settings.maxConcurrentRounds() && waiting.isEmpty()) {
            start(message, options, future);
        } else if (waiting.size() < settings.maxWaitingRounds()) {
            waiting.addLast(new Waiting(message, options, future));
        } else {
            counters.sent.increment();
            counters.admissionRefused.increment();
            counters.failed.increment();
            future.complete(DeliveryResult.failed(message.id(), options.guarantee(), AbortReason.REJECTED,
                    java.util.Map.of(self, "node " + settings.node() + " is full: " + outbox.size()
                            + " sends in flight and " + waiting.size() + " waiting (limits "
                            + settings.maxConcurrentRounds() + " and " + settings.maxWaitingRounds() + ")")));
        }
    }

    /** Starts the sends that waited, while there is room; posted whenever a send ends and some wait. */
    private void admitWaiting() {
        admitPosted = false;
        while (outbox.size() < settings.maxConcurrentRounds() && !waiting.isEmpty()) {
            Waiting w = waiting.pollFirst();
            start(w.message(), w.options(), w.future());
        }
    }

    private void start(Message message, DeliveryOptions options, CompletableFuture<DeliveryResult> future) {
        counters.sent.increment();
        DeliveryGuarantee g = options.guarantee();
        if (outbox.get(message.id()) != null) {
            // acknowledgements name the message id only: a second send of it at once would take the first one's
            counters.failed.increment();
            future.complete(DeliveryResult.failed(message.id(), g, AbortReason.REJECTED, java.util.Map.of(self,
                    "message id " + message.id() + " is being sent from cluster " + self + " already; send it again "
                            + "once that send's result is in")));
            return;
        }
        SortedSet<ClusterId> targets = new TreeSet<>(options.targets());
        VectorClock clock = null;
        if (g == DeliveryGuarantee.CAUSAL) {
            if (!targets.isEmpty()) {
                future.completeExceptionally(new IllegalArgumentException("CAUSAL is a causal broadcast to every "
                        + "reachable cluster; leave targets empty (got " + targets + ")"));
                return;
            }
            targets = router.reachable();
            clock = inbox.nextCausalClock();
        } else if (targets.isEmpty()) {
            targets = owners(message.queue(), g, future);
            if (targets == null) {
                return;
            }
        }
        long now = loop.nanoTime();
        Outbox.Pending p = new Outbox.Pending(message, options, timeouts.resolve(options), targets, clock, future, now,
                settings.random().nextLong());
        outbox.add(p);
        boolean needsAck = g != DeliveryGuarantee.FIRE_AND_FORGET;
        if (g == DeliveryGuarantee.CAUSAL) {
            sendCausal(p);
        } else {
            for (ClusterId t : targets) {
                if (t.equals(self)) {
                    deliverLocally(p);
                } else if (!attempt(p, t)) {
                    if (g == DeliveryGuarantee.FIRE_AND_FORGET || g == DeliveryGuarantee.BROADCAST) {
                        p.fail(t, AbortReason.NO_ROUTE, "no route to cluster " + t);
                    }
                }
            }
        }
        if (!needsAck) {
            targets.stream().filter(t -> !p.resolved(t)).forEach(p.acked::add);
        }
        if (outbox.get(p.id()) != p) {
            return; // completed already (a local delivery acknowledged at once)
        }
        if (p.done()) {
            outbox.complete(p);
            return;
        }
        p.deadline = loop.schedule(p.timeout.toNanos(), () -> timeout(p));
        p.retry = loop.schedule(retryDelay(p.attempts), () -> retry(p));
    }

    /**
     * A CAUSAL send (or its retransmission after a restart): logged, delivered here (which gives it its place in this
     * cluster's causal order), and sent to the other targets once that is on disk.
     */
    private void sendCausal(Outbox.Pending p) {
        if (log.isDurable()) {
            log.append(RecordTypes.CAUSAL_SENT, writeSent(p));
        }
        if (p.targets.contains(self)) {
            deliverLocally(p);
        }
        p.released = false;
        inbox.afterStored(() -> {
            p.released = true;
            if (outbox.get(p.id()) == p) {
                p.targets.stream().filter(t -> !t.equals(self) && !p.resolved(t)).forEach(t -> attempt(p, t));
            }
        });
    }

    /** A send ended: a CAUSAL one of this node's needs no retransmission after a restart any more. */
    private void ended(Outbox.Pending p) {
        if (p.guarantee() == DeliveryGuarantee.CAUSAL && log.isDurable()) {
            log.append(RecordTypes.CAUSAL_SENT_DONE, new RecordWriter().putId(p.id()));
        }
        if (!waiting.isEmpty() && !admitPosted) {
            admitPosted = true;
            loop.execute(this::admitWaiting); // a task of its own: no recursion through sends that end at once
        }
    }

    /** Takes one replayed record; false if it is not a send's. Call before {@link #recovered}. */
    public boolean replay(byte type, byte[] payload) {
        RecordInput in = new RecordInput(payload);
        if (type == RecordTypes.CAUSAL_SENT) {
            Message message = in.getMessage();
            VectorClock clock = in.getClock();
            long token = in.getLong();
            java.time.Duration timeout = java.time.Duration.ofMillis(in.getLong());
            SortedSet<ClusterId> targets = new TreeSet<>();
            for (int i = in.getInt(); i > 0; i--) {
                targets.add(in.getCluster());
            }
            recovering.put(message.id(), new Outbox.Pending(message, DeliveryOptions.of(DeliveryGuarantee.CAUSAL),
                    timeout, targets, clock, null, 0, token));
            return true;
        }
        if (type == RecordTypes.CAUSAL_SENT_DONE) {
            recovering.remove(in.getId());
            return true;
        }
        return false;
    }

    /**
     * The log is replayed and the inbox is back: this node's CAUSAL sends that had not ended before its restart are
     * sent again (no caller waits for them), each within its own timeout from now.
     *
     * @return how many
     */
    public int recovered() {
        for (Outbox.Pending old : recovering.values()) {
            Outbox.Pending p = new Outbox.Pending(old.message, old.options, old.timeout, old.targets, old.clock, null,
                    loop.nanoTime(), old.token);
            outbox.add(p);
            sendCausal(p);
            if (outbox.get(p.id()) == p && !p.done()) {
                p.deadline = loop.schedule(p.timeout.toNanos(), () -> timeout(p));
                p.retry = loop.schedule(retryDelay(p.attempts), () -> retry(p));
            } else if (outbox.get(p.id()) == p) {
                outbox.complete(p);
            }
        }
        int n = recovering.size();
        recovering.clear();
        return n;
    }

    /** Writes this node's CAUSAL sends still under way, for a snapshot. */
    public void snapshot(Journal.Sink sink) {
        outbox.forEach(p -> {
            if (p.guarantee() == DeliveryGuarantee.CAUSAL) {
                sink.record(RecordTypes.CAUSAL_SENT, writeSent(p).toBytes());
            }
        });
    }

    private static RecordWriter writeSent(Outbox.Pending p) {
        RecordWriter w = new RecordWriter().putMessage(p.message).putClock(p.clock).putLong(p.token)
                .putLong(p.timeout.toMillis()).putInt(p.targets.size());
        p.targets.forEach(w::putCluster);
        return w;
    }

    /**
     * The clusters a send without targets goes to: for BROADCAST every cluster holding the queue; otherwise the one
     * that holds it (this cluster first). Null, with {@code future} failed, if no cluster or several hold it.
     */
    private SortedSet<ClusterId> owners(String queue, DeliveryGuarantee g, CompletableFuture<DeliveryResult> future) {
        SortedSet<ClusterId> owners = discovery.owners(queue);
        if (owners.isEmpty()) {
            future.completeExceptionally(new NoSuchQueueException(queue, self, discovery.owners("*")));
            return null;
        }
        if (g == DeliveryGuarantee.BROADCAST || owners.size() == 1) {
            return owners;
        }
        if (owners.contains(self)) {
            return new TreeSet<>(List.of(self));
        }
        future.completeExceptionally(new IllegalArgumentException("queue '" + queue + "' exists on clusters " + owners
                + ": name the one to send to with DeliveryOptions.withTargets"));
        return null;
    }

    public void close() {
        outbox.cancelAll("node closed");
        for (Waiting w : waiting) {
            counters.sent.increment();
            counters.failed.increment();
            w.future().complete(DeliveryResult.failed(w.message().id(), w.options().guarantee(), AbortReason.CANCELLED,
                    java.util.Map.of(self, "node closed before the send was admitted")));
        }
        waiting.clear();
    }

    private void deliverLocally(Outbox.Pending p) {
        WireMessage.Deliver d = new WireMessage.Deliver(p.id(), self, self, p.guarantee(), p.message, p.clock, 0,
                p.token, p.options.requiredAcks(), List.of(self));
        Inbox.Outcome outcome = inbox.arrive(d, () -> acknowledged(p, self));
        if (outcome == Inbox.Outcome.REFUSED) {
            p.fail(self, AbortReason.REJECTED, inbox.refusal());
        } else if (outcome != Inbox.Outcome.PENDING) {
            if (inbox.stored()) {
                p.acked.add(self);
            } else {
                inbox.afterStored(() -> acknowledged(p, self)); // success only once the message is on disk
            }
        }
    }

    /** A QUORUM message stored here got its acknowledgements (later, on the loop). */
    private void acknowledged(Outbox.Pending p, ClusterId target) {
        if (outbox.get(p.id()) != p || p.resolved(target)) {
            return;
        }
        p.acked.add(target);
        counters.recordAckLatency(loop.nanoTime() - p.startedAt);
        if (p.done()) {
            outbox.complete(p);
        }
    }

    /** Sends {@code p} towards {@code target} (several copies on distinct first hops for a redundant BROADCAST). */
    private boolean attempt(Outbox.Pending p, ClusterId target) {
        List<ClusterId> hops = router.nextHops(target, List.of(self));
        if (hops.isEmpty()) {
            return false;
        }
        int copies = p.guarantee() == DeliveryGuarantee.BROADCAST ? Math.min(p.options.redundancy(), hops.size()) : 1;
        boolean any = false;
        for (int route = 0; route < copies; route++) {
            any |= network.sendTo(hops.get(route), new WireMessage.Deliver(p.id(), self, target, p.guarantee(),
                    p.message, p.clock, route, p.token, p.options.requiredAcks(), List.of(self)));
        }
        return any;
    }

    private void retry(Outbox.Pending p) {
        if (outbox.get(p.id()) != p) {
            return;
        }
        p.attempts++;
        for (ClusterId t : p.targets) {
            if (!p.resolved(t) && p.released) {
                counters.retries.increment();
                attempt(p, t);
            }
        }
        p.retry = loop.schedule(retryDelay(p.attempts), () -> retry(p));
    }

    private void timeout(Outbox.Pending p) {
        if (outbox.get(p.id()) != p) {
            return;
        }
        for (ClusterId t : p.targets) {
            p.fail(t, AbortReason.TIMEOUT, "no acknowledgement within " + p.timeout.toMillis() + " ms");
        }
        outbox.complete(p);
    }

    private long retryDelay(int attempt) {
        return settings.retryDelay(attempt);
    }

    public void onDeliver(WireMessage.Deliver d) {
        boolean answer = d.guarantee() != DeliveryGuarantee.FIRE_AND_FORGET;
        Inbox.Outcome outcome = inbox.arrive(d, () -> inbox.afterStored(() -> answers.reply(
                new WireMessage.Ack(d.id(), self, d.origin(), List.of(self)))));
        if (!answer || outcome == Inbox.Outcome.PENDING || outcome == Inbox.Outcome.NOT_YET) {
            // a QUORUM message is acknowledged when its subscribers' acknowledgements complete it; one for a queue
            // not created yet by a node starting up is answered by the sender's retry
            return;
        }
        if (outcome == Inbox.Outcome.REFUSED) {
            answers.reply(new WireMessage.Nack(d.id(), self, d.origin(), inbox.refusal(), List.of(self)));
        } else {
            // acknowledged once stored: a retransmission waits for its first copy's sync too
            inbox.afterStored(() -> answers.reply(new WireMessage.Ack(d.id(), self, d.origin(), List.of(self))));
        }
    }

    public void onAck(WireMessage.Ack a) {
        Outbox.Pending p = outbox.get(a.id());
        if (p == null || !p.targets.contains(a.from()) || p.resolved(a.from())) {
            return; // late or repeated
        }
        counters.acks.increment();
        counters.recordAckLatency(loop.nanoTime() - p.startedAt);
        p.acked.add(a.from());
        if (p.done()) {
            outbox.complete(p);
        }
    }

    public void onNack(WireMessage.Nack n) {
        Outbox.Pending p = outbox.get(n.id());
        if (p == null || !p.targets.contains(n.from()) || p.resolved(n.from())) {
            return;
        }
        counters.nacks.increment();
        p.fail(n.from(), AbortReason.REJECTED, n.reason());
        if (p.done()) {
            outbox.complete(p);
        }
    }
}
