package io.mpreg.federation.internal.delivery;

import io.mpreg.federation.internal.Counters;
import io.mpreg.federation.internal.NodeSettings;
import io.mpreg.federation.internal.queue.LocalQueues;
import io.mpreg.federation.internal.DedupWindow;
import io.mpreg.federation.internal.log.Journal;
import io.mpreg.federation.internal.log.LogTime;
import io.mpreg.federation.internal.log.RecordInput;
import io.mpreg.federation.internal.log.RecordTypes;
import io.mpreg.federation.internal.log.RecordWriter;
import io.mpreg.federation.internal.log.StateLog;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.MessageId;
import io.mpreg.api.VectorClock;
import io.mpreg.federation.EventLoop;
import io.mpreg.federation.internal.queue.LocalQueue;
import io.mpreg.federation.internal.queue.Enqueued;
import io.mpreg.federation.internal.wire.WireMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The receiving side of a node: puts arriving messages into the local {@link LocalQueues} (which deduplicate by message
 * id and send token, and refuse when full), and runs CAUSAL delivery with vector clocks and a bounded hold-back
 * buffer. Voted messages enter on COMMIT; the dedup window of committed and causal message ids (expiring on the
 * loop's clock, oldest first at capacity; only accepted messages are recorded, so a refusal never poisons it) keeps a repeated decision from
 * storing a message twice. Loop-thread only.
 *
 * <p>CAUSAL is a causal broadcast: every CAUSAL message goes to every cluster the sender reaches, and {@link #clock}
 * counts, per origin, the CAUSAL messages delivered here (the sender's own entry counts its sends). A message from
 * {@code o} is delivered (into its queue, if this cluster has one) when it is the next one from {@code o} and
 * everything its clock says it depends on was delivered here; otherwise it waits. When the buffer is full the newest
 * message is refused with a NACK ("causal hold-back buffer full") and counted; its sender sees the refusal. A message
 * whose queue here is full when it arrives is refused too, but keeps its place in causal order (delivered as refused,
 * not stored); one that is held back has its slot reserved, so capacity holds on every path.
 *
 * <p>Durable: the dedup window's ids, the messages held back and each advance of the delivered clock are in the
 * node's log, so a restarted cluster neither takes a sender's later messages for duplicates nor waits for ever for
 * one it acknowledged as held.
 */
public final class Inbox {

    /** A CAUSAL message on its way to delivery, and whether a slot in its queue was reserved for it. */
    /** A held CAUSAL message and whether a slot in its queue is reserved for it (compared by identity). */
    private static final class Causal {
        final WireMessage.Deliver deliver;
        final boolean reserved;

        Causal(WireMessage.Deliver deliver, boolean reserved) {
            this.deliver = deliver;
            this.reserved = reserved;
        }

        WireMessage.Deliver deliver() {
            return deliver;
        }
    }

    /** What became of an arriving message. */
    public enum Outcome {
        /** Stored (or causally delivered): acknowledge. */
        DELIVERED,
        /** A retransmission of a message stored before: acknowledge again. */
        DUPLICATE,
        /** Held back (CAUSAL): acknowledge, it is safe here. */
        HELD,
        /** Stored, but the acknowledgement waits (QUORUM: the subscribers' acknowledgements complete it). */
        PENDING,
        /** Refused: {@link #refusal()} says why. */
        REFUSED,
        /**
         * Not taken and not refused: no such queue here yet, while this node is starting up (its application may be
         * creating it); the sender's retry finds it.
         */
        NOT_YET
    }

    private final NodeSettings settings;
    private final Counters counters;
    private final LocalQueues queues;
    private final DedupWindow<MessageId, Boolean> seen;
    private final HoldBack<Causal> heldBack = new HoldBack<>(Causal::deliver);
    private VectorClock clock = VectorClock.empty();
    private String refusal;
    private final EventLoop loop;
    private final StateLog log;
    private final LogTime time;
    private final Map<MessageId, Causal> recoveringHeld = new LinkedHashMap<>();
    private long startingUntil;
    private boolean starting;

    public Inbox(NodeSettings settings, Counters counters, EventLoop loop, LocalQueues queues, StateLog log,
                 LogTime time) {
        this.log = log;
        this.time = time;
        this.settings = settings;
        this.counters = counters;
        this.loop = loop;
        this.queues = queues;
        this.seen = new DedupWindow<>(settings.dedupWindow().toNanos(), settings.dedupCapacity(), loop::nanoTime);
    }

    /** Until {@code untilNanos} on the loop's clock, a message for a queue not here yet is not refused. */
    public void startingUntil(long untilNanos) {
        this.startingUntil = untilNanos;
        this.starting = true;
    }

    /** Whether {@code queue} is missing here only because this node is still starting up: answer later, not no. */
    private boolean notYet(String queue) {
        if (starting && loop.nanoTime() - startingUntil >= 0) {
            starting = false;
        }
        return starting && !queues.exists(queue);
    }

    public boolean hasQueue(String queue) {
        return queues.exists(queue);
    }

    /** Promises one slot in local queue {@code queue} to a message that may commit; false if it is full. */
    public boolean reserve(String queue) {
        return queues.reserve(queue);
    }

    /** Gives back a slot promised in local queue {@code queue} (its round aborted or was given up). */
    public void unreserve(String queue) {
        queues.unreserve(queue);
    }

    /** Whether {@code message} was delivered here inside a dedup window (as a committed, causal or queued message). */
    public boolean delivered(io.mpreg.api.Message message) {
        return Boolean.TRUE.equals(seen.get(message.id())) || queues.seen(message.queue(), message.id());
    }

    /**
     * A voted message committed: store it once, in the slot {@link #reserve reserved} for it when this cluster voted
     * (so the queue takes it even if it filled since).
     */
    public void commit(io.mpreg.api.Message message, ClusterId origin, DeliveryGuarantee guarantee, long token) {
        if (seen.get(message.id()) != null) {
            queues.unreserve(message.queue());
            counters.duplicates.increment();
            return;
        }
        remember(message.id(), true);
        Enqueued a = queues.enqueue(message, origin, guarantee, null, token, 1, null, true);
        if (a == Enqueued.ACCEPTED) {
            counters.delivered.increment();
        } else {
            counters.refused.increment(); // the queue was deleted, or took this id from another send
        }
    }

    /**
     * Runs {@code action} once what this node stored so far is on disk (at once in memory): acknowledgements wait for
     * it, so nothing is acknowledged that a crash could lose.
     */
    public void afterStored(Runnable action) {
        log.afterSync(action);
    }

    /** Whether what was stored so far is on disk already (always in memory). */
    public boolean stored() {
        return !log.isDurable();
    }

    /** Why this node cannot store messages now (its log fails to write), or null. */
    public String cannotStore() {
        String failure = log.failure();
        return failure == null ? null : "cluster " + settings.node().cluster() + " " + failure;
    }

    /** Why the last arrival was refused. */
    public String refusal() {
        return refusal;
    }

    /** The clock a new CAUSAL message from this node carries (this node's entry advanced by one). */
    public VectorClock nextCausalClock() {
        return clock.increment(settings.node().cluster());
    }

    /**
     * A message for this cluster arrived (or was sent to it by its own node). {@code onComplete} runs when a QUORUM
     * message has its acknowledgements.
     */
    public Outcome arrive(WireMessage.Deliver d, Runnable onComplete) {
        if (!d.origin().equals(settings.node().cluster()) && notYet(d.message().queue())) {
            return Outcome.NOT_YET; // (a send of this node's own applications is answered at once)
        }
        String cannot = cannotStore();
        if (cannot != null && !delivered(d.message()) && seen.get(d.id()) == null) {
            // (a retransmission of one it took already is answered once that is stored, not refused)
            return refuse(cannot);
        }
        if (d.guarantee() == DeliveryGuarantee.CAUSAL) {
            Boolean known = seen.get(d.id());
            if (Boolean.FALSE.equals(known)) {
                return refuse(full(d.message().queue()));
            }
            if (known != null) {
                counters.duplicates.increment();
                return Outcome.DUPLICATE;
            }
            return arriveCausal(d);
        }
        Enqueued a = queues.enqueue(d.message(), d.origin(), d.guarantee(), null, d.token(),
                Math.max(1, d.requiredAcks()), onComplete, false);
        String queue = d.message().queue();
        ClusterId self = settings.node().cluster();
        if (a == null) {
            return refuse("no queue '" + queue + "' on cluster " + self);
        }
        switch (a) {
            case ACCEPTED:
                counters.delivered.increment();
                return d.guarantee() == DeliveryGuarantee.QUORUM ? Outcome.PENDING : Outcome.DELIVERED;
            case RETRANSMITTED:
                counters.duplicates.increment();
                return Outcome.DUPLICATE;
            case RETRANSMITTED_PENDING:
                counters.duplicates.increment();
                return Outcome.PENDING;
            case CONFLICT:
                counters.duplicates.increment();
                return refuse("conflict: message id " + d.id() + " was accepted by queue '" + queue + "' on cluster "
                        + self + " with other content inside its dedup window");
            default:
                counters.overflow.increment();
                return refuse(full(queue));
        }
    }

    private String full(String queue) {
        return "queue '" + queue + "' on cluster " + settings.node().cluster() + " is full (capacity "
                + queues.capacity(queue) + " messages)";
    }

    private Outcome refuse(String why) {
        refusal = why;
        counters.refused.increment();
        return Outcome.REFUSED;
    }

    private Outcome arriveCausal(WireMessage.Deliver d) {
        if (d.clock() == null) {
            return refuse("CAUSAL message without a vector clock");
        }
        if (d.clock().get(d.origin()) <= clock.get(d.origin())) {
            remember(d.id(), true); // delivered before the dedup window knew it (for example: its own send)
            counters.duplicates.increment();
            return Outcome.DUPLICATE;
        }
        boolean deliverable = deliverable(d);
        if (!deliverable && heldBack.size() >= settings.holdBackCapacity()) {
            counters.overflow.increment();
            return refuse("causal hold-back buffer full (" + settings.holdBackCapacity() + " messages)");
        }
        String queue = d.message().queue();
        // a message refused for room still takes its place in causal order (it is delivered as refused), or every
        // later message from its sender would wait for it forever
        boolean stored = !queues.exists(queue) || queues.reserve(queue);
        remember(d.id(), stored);
        Causal c = new Causal(d, stored && queues.exists(queue));
        if (!deliverable) {
            heldBack.add(c);
            counters.heldBack.increment();
            if (log.isDurable()) {
                log.append(RecordTypes.CAUSAL_HELD, writeHeld(c));
            }
        } else {
            deliverCausal(c);
            deliverHeldBack();
        }
        if (!stored) {
            counters.overflow.increment();
            return refuse(full(queue));
        }
        return deliverable ? Outcome.DELIVERED : Outcome.HELD;
    }

    private void deliverHeldBack() {
        for (Causal c = heldBack.pollDeliverable(clock, this::deliverable); c != null;
             c = heldBack.pollDeliverable(clock, this::deliverable)) {
            deliverCausal(c);
        }
    }

    /** Puts {@code id} in the dedup window, and in the log. */
    private void remember(MessageId id, boolean stored) {
        seen.put(id, stored);
        if (log.isDurable()) {
            log.append(RecordTypes.SEEN, new RecordWriter().putId(id).putBoolean(stored)
                    .putLong(time.toWall(loop.nanoTime())));
        }
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

    /**
     * Delivers in causal order: into the message's queue, in the slot reserved for it when it arrived, if this cluster
     * has the queue and had room (the clock advances either way).
     */
    private void deliverCausal(Causal c) {
        WireMessage.Deliver d = c.deliver;
        TreeMap<ClusterId, Long> next = new TreeMap<>(clock.entries());
        next.put(d.origin(), d.clock().get(d.origin()));
        clock = VectorClock.of(next);
        if (c.reserved) {
            Enqueued a = queues.enqueue(d.message(), d.origin(), d.guarantee(), d.clock(), d.token(), 1, null,
                    true);
            if (a == Enqueued.ACCEPTED) {
                counters.delivered.increment();
            }
        }
        if (log.isDurable()) { // after the message's own records: a crash in between delivers it again, found stored
            log.append(RecordTypes.CAUSAL_CLOCK, new RecordWriter().putCluster(d.origin())
                    .putLong(d.clock().get(d.origin())));
        }
    }

    // ---- the log ----

    private static RecordWriter writeHeld(Causal c) {
        WireMessage.Deliver d = c.deliver;
        return new RecordWriter().putId(d.id()).putCluster(d.origin()).putCluster(d.target())
                .putInt(d.guarantee().ordinal()).putMessage(d.message()).putClock(d.clock()).putLong(d.token())
                .putBoolean(c.reserved);
    }

    /** Takes one replayed record; false if it is not the inbox's. Call before {@link #recovered}. */
    public boolean replay(byte type, byte[] payload) {
        RecordInput in = new RecordInput(payload);
        switch (type) {
            case RecordTypes.SEEN -> {
                MessageId id = in.getId();
                boolean stored = in.getBoolean();
                seen.put(id, stored, time.toLoop(in.getLong()));
            }
            case RecordTypes.CAUSAL_HELD -> {
                WireMessage.Deliver d = new WireMessage.Deliver(in.getId(), in.getCluster(), in.getCluster(),
                        DeliveryGuarantee.values()[in.getInt()], in.getMessage(), in.getClock(), 0, in.getLong(), 1,
                        List.of());
                recoveringHeld.put(d.id(), new Causal(d, in.getBoolean()));
            }
            case RecordTypes.CAUSAL_CLOCK -> {
                ClusterId origin = in.getCluster();
                long value = in.getLong();
                if (value > clock.get(origin)) {
                    TreeMap<ClusterId, Long> next = new TreeMap<>(clock.entries());
                    next.put(origin, value);
                    clock = VectorClock.of(next);
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * The log is replayed and the queues are back: the CAUSAL messages held back before the restart and not delivered
     * since are held again (in their reserved slots) and delivered as soon as they can be.
     *
     * @return how many are held again
     */
    public int recovered() {
        for (Causal c : recoveringHeld.values()) {
            WireMessage.Deliver d = c.deliver;
            if (d.clock().get(d.origin()) > clock.get(d.origin())) {
                heldBack.add(new Causal(d, c.reserved && queues.reserve(d.message().queue())));
            }
        }
        recoveringHeld.clear();
        deliverHeldBack(); // (one whose delivery was logged only in part)
        return heldBack.size();
    }

    /** Writes the delivered clock, the dedup window and the messages held back, for a snapshot. */
    public void snapshot(Journal.Sink sink) {
        clock.entries().forEach((origin, value) -> sink.record(RecordTypes.CAUSAL_CLOCK,
                new RecordWriter().putCluster(origin).putLong(value).toBytes()));
        seen.forEach((id, stored, writtenAt) -> sink.record(RecordTypes.SEEN,
                new RecordWriter().putId(id).putBoolean(stored).putLong(time.toWall(writtenAt)).toBytes()));
        heldBack.forEach(c -> sink.record(RecordTypes.CAUSAL_HELD, writeHeld(c).toBytes()));
    }
}
