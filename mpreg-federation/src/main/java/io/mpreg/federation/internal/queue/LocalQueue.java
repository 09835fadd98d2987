package io.mpreg.federation.internal.queue;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.api.VectorClock;
import io.mpreg.federation.internal.DedupWindow;
import io.mpreg.federation.internal.log.Journal;
import io.mpreg.federation.internal.log.RecordTypes;
import io.mpreg.federation.internal.log.RecordWriter;
import io.mpreg.federation.queue.AckOutcome;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.QueueStatistics;
import io.mpreg.federation.queue.QueueType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One queue stored on this cluster. Pure logic on an injected clock: no threads, no I/O; the owner calls
 * {@link #pump()} after every change and again at the time it returns (the next delayed message becoming visible or
 * the next visibility timeout). Not thread-safe: the node's event loop owns it.
 *
 * <p>Messages are <em>competing</em> (each goes to one consumer; FIFO or by priority, a redelivered one keeps its
 * place) or <em>fan-out</em> (BROADCAST and QUORUM: each goes to every consumer attached when it is dispatched; a
 * QUORUM message waits until it has {@code requiredAcks} consumers and completes at that many acknowledgements).
 * Consumers take at most their prefetch of unacknowledged messages each, round robin. A competing message handed out
 * and not acknowledged within the visibility timeout becomes visible again; one that comes back after
 * {@code maxReceives} hand-overs goes to the {@link Listener#deadLetter dead-letter} path with the reason. Deadlines
 * and the time to live are checked when a message is read. Accepted message ids are remembered for the dedup window
 * with the send's token and a fingerprint of the content: the same message again (the same send retransmitted, or sent
 * anew) is not stored twice and is acknowledged as stored; other content under the id is refused as a conflict.
 */
public final class LocalQueue {

    /** Where dead letters go. */
    public interface Listener {
        /**
         * Moves {@code message} to {@code from}'s dead-letter queue; false if that queue has no room now (the message
         * then stays in {@code from}, visible again, and goes at its next return).
         */
        boolean deadLetter(LocalQueue from, Message message, ClusterId origin, String reason);

        /** A message went to a consumer for the first time, {@code waitedNanos} after it became visible. */
        default void firstHandedOver(long waitedNanos) {
        }
    }

    /** One hand-over: the receipt's message, its consumer and when its visibility ends. */
    private record Hand(long receipt, QueuedMessage entry, long consumer, long deadline) {
    }

    private final QueueConfig config;
    private final LongSupplier nanoClock;
    private final Supplier<Instant> wallClock;
    private final Listener listener;
    private final QueueLog log;
    private final long retryNanos;
    private final DedupWindow<MessageId, QueuedMessage.Dedup> dedup;
    private final PriorityQueue<QueuedMessage> ready;
    private final PriorityQueue<QueuedMessage> delayed = new PriorityQueue<>(
            Comparator.comparingLong((QueuedMessage e) -> e.visibleAt).thenComparingLong(e -> e.seq));
    /**
     * Hand-overs not settled yet, by receipt, in the order they were made: every hand-over's deadline is its time plus
     * the queue's fixed visibility timeout on a monotonic clock, so insertion order is deadline order and the first
     * entry is always the next to expire (settling one removes it at once: no stale entries pile up).
     */
    private final Map<Long, Hand> inFlight = new LinkedHashMap<>();
    private final QueueConsumers consumers = new QueueConsumers();
    private long seq;
    private long receipts;
    private int stored;
    /** Slots promised and not filled yet: a yes vote's message until its round is decided, a held-back CAUSAL one. */
    private int reserved;
    private long sent;
    private long refused;
    private long duplicates;
    private long received;
    private long acked;
    private long redelivered;
    private long deadLettered;
    private long expired;

    /**
     * A queue. {@code retryNanos}: when a consumer could not take a message (unreachable), how soon {@link #pump()}
     * asks to be called again; {@code dedupCapacity}: accepted ids remembered at most (the oldest go first, so memory
     * stays bounded at any send rate).
     */
    public LocalQueue(QueueConfig config, LongSupplier nanoClock, Supplier<Instant> wallClock, Listener listener,
                      long retryNanos, long dedupCapacity, QueueLog log) {
        this.log = log;
        this.retryNanos = retryNanos;
        this.config = config;
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
        this.listener = listener;
        this.dedup = new DedupWindow<>(saturatedNanos(config.dedupWindow()), dedupCapacity, nanoClock);
        Comparator<QueuedMessage> fifo = Comparator.comparingLong(e -> e.seq);
        this.ready = new PriorityQueue<>(config.type() == QueueType.PRIORITY
                ? Comparator.comparingInt((QueuedMessage e) -> -e.message.priority()).thenComparing(fifo) : fifo);
    }

    public QueueConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    /**
     * Offers a message. {@code token} identifies the send (its retransmissions carry the same one);
     * {@code requiredAcks} counts for QUORUM only; {@code onComplete} runs when a QUORUM message has its
     * acknowledgements; {@code reservedSlot}: the message fills a slot {@link #reserve reserved} for it (it is stored
     * even if the queue filled since, and the reservation ends either way).
     */
    public Enqueued enqueue(Message message, ClusterId origin, DeliveryGuarantee guarantee, VectorClock clock, long token,
                          int requiredAcks, Runnable onComplete, boolean reservedSlot) {
        if (reservedSlot && reserved > 0) {
            reserved--;
        }
        QueuedMessage.Dedup known = dedup.get(message.id());
        long fingerprint = Fingerprint.of(message);
        if (known != null) {
            duplicates++;
            if (known.token != token && known.fingerprint != fingerprint) {
                return Enqueued.CONFLICT;
            }
            return known.complete ? Enqueued.RETRANSMITTED : Enqueued.RETRANSMITTED_PENDING;
        }
        if (!reservedSlot && !hasRoom()) {
            dropExpired();
            if (!hasRoom()) {
                refused++;
                return Enqueued.FULL;
            }
        }
        long now = nanoClock.getAsLong();
        long delay = saturatedNanos(message.delay().plus(config.defaultDelay()));
        long ttl = config.messageTtl().isZero() ? Long.MAX_VALUE : saturatedNanos(config.messageTtl());
        QueuedMessage.Dedup record = new QueuedMessage.Dedup(token, fingerprint, now,
                guarantee != DeliveryGuarantee.QUORUM);
        QueuedMessage e = new QueuedMessage(seq++, message, origin, guarantee, clock, now + delay, ttl == Long.MAX_VALUE
                ? Long.MAX_VALUE : now + ttl, requiredAcks, onComplete, record);
        dedup.put(message.id(), record);
        stored++;
        sent++;
        place(e);
        log.enqueued(config.name(), e);
        return Enqueued.ACCEPTED;
    }

    private void place(QueuedMessage e) {
        if (e.visibleAt > nanoClock.getAsLong()) {
            e.state = QueuedMessage.State.DELAYED;
            delayed.add(e);
        } else {
            e.state = QueuedMessage.State.READY;
            ready.add(e);
        }
    }

    /**
     * Puts back a message recovered from the log, visible again (or still delayed) with its receive count: one that
     * was handed out when the node stopped is redelivered. {@code dedup} is its entry in the dedup window.
     */
    void restore(long restoredSeq, Message message, ClusterId origin, DeliveryGuarantee guarantee, VectorClock clock,
                 long visibleAt, long expiresAt, int requiredAcks, QueuedMessage.Dedup entry, int receiveCount) {
        QueuedMessage e = new QueuedMessage(restoredSeq, message, origin, guarantee, clock, visibleAt, expiresAt,
                requiredAcks, null, entry);
        e.receives = receiveCount;
        seq = Math.max(seq, restoredSeq + 1);
        stored++;
        place(e);
    }

    /** Puts back an id of the dedup window recovered from the log (oldest first). */
    void restoreDedup(MessageId id, QueuedMessage.Dedup entry) {
        dedup.put(id, entry, entry.writtenAt);
    }

    /** The next sequence number is at least {@code next} (ids of messages gone since are not reused). */
    void restoreSequence(long next) {
        seq = Math.max(seq, next);
    }

    /** Writes this queue's live state for a snapshot: its definition, messages, receive counts and dedup window. */
    void snapshot(Journal.Sink sink) {
        String name = config.name();
        sink.record(RecordTypes.QUEUE_CREATED, QueueLog.writeConfig(new RecordWriter(), config).toBytes());
        Set<MessageId> live = new HashSet<>();
        List<QueuedMessage> messages = new ArrayList<>(ready);
        messages.addAll(delayed);
        inFlight.values().forEach(h -> messages.add(h.entry));
        messages.sort(Comparator.comparingLong(e -> e.seq));
        for (QueuedMessage e : messages) {
            live.add(e.message.id());
            sink.record(RecordTypes.ENQUEUED, log.writeEnqueued(new RecordWriter(), name, e).toBytes());
            if (e.receives > 0) {
                sink.record(RecordTypes.RECEIVED, QueueLog.writeReceived(name, e).toBytes());
            }
        }
        dedup.forEach((id, d, writtenAt) -> {
            if (!live.contains(id)) {
                sink.record(RecordTypes.DEDUP, log.writeDedup(name, id, d).toBytes());
            }
        });
        sink.record(RecordTypes.SEQUENCE, new RecordWriter().putString(name).putLong(seq).toBytes());
    }

    /** Whether a message with {@code id} was accepted inside the dedup window. */
    public boolean seen(MessageId id) {
        return dedup.get(id) != null;
    }

    /** Whether a new message would fit now (counting the slots reserved). */
    public boolean hasRoom() {
        return stored + reserved < config.capacity();
    }

    /** Promises one slot to a message that comes later ({@link #enqueue} with {@code reservedSlot}); false if full. */
    public boolean reserve() {
        if (!hasRoom()) {
            dropExpired();
            if (!hasRoom()) {
                return false;
            }
        }
        reserved++;
        return true;
    }

    /** Gives back a slot {@link #reserve reserved} for a message that will not come (its round aborted). */
    public void unreserve() {
        if (reserved > 0) {
            reserved--;
        }
    }

    public void addConsumer(QueueConsumer consumer) {
        consumers.add(consumer);
    }

    /** Detaches a consumer; its unacknowledged competing messages become visible again at once. */
    public void removeConsumer(long id) {
        if (!consumers.remove(id)) {
            return;
        }
        for (Hand h : new ArrayList<>(inFlight.values())) {
            if (h.consumer == id) {
                inFlight.remove(h.receipt);
                if (!h.entry.fanout) {
                    visibleAgain(h.entry);
                }
            }
        }
    }

    public boolean hasConsumer(long id) {
        return consumers.has(id);
    }

    /** Acknowledges the hand-over {@code receipt}. */
    public AckOutcome ack(long receipt) {
        return ack(receipt, -1);
    }

    /** Acknowledges the hand-over {@code receipt} made to {@code consumer} (-1: any). */
    public AckOutcome ack(long receipt, long consumer) {
        Hand h = settle(receipt, consumer);
        if (h == null) {
            return AckOutcome.STALE;
        }
        acked++;
        QueuedMessage e = h.entry;
        if (!e.fanout) {
            drop(e);
            return AckOutcome.ACKED;
        }
        if (e.requiredAcks == 0) {
            return AckOutcome.ACKED;
        }
        if (e.dedup.complete) {
            return AckOutcome.ALREADY_COMPLETE;
        }
        if (++e.acks >= e.requiredAcks) {
            e.dedup.complete = true;
            log.completed(config.name(), e);
            if (e.onComplete != null) {
                e.onComplete.run();
            }
        }
        return AckOutcome.ACKED;
    }

    /** Gives hand-over {@code receipt} back: a competing message becomes visible again at once. */
    public AckOutcome release(long receipt) {
        return release(receipt, -1);
    }

    /** Releases the hand-over {@code receipt} made to {@code consumer} (-1: any). */
    public AckOutcome release(long receipt, long consumer) {
        Hand h = settle(receipt, consumer);
        if (h == null) {
            return AckOutcome.STALE;
        }
        if (!h.entry.fanout) {
            visibleAgain(h.entry);
        }
        return AckOutcome.ACKED;
    }

    /**
     * Takes hand-over {@code receipt} back unread (its consumer is gone): visible again at once, and the hand-over
     * does not count as a receive.
     */
    public AckOutcome giveBack(long receipt, long consumer) {
        Hand h = settle(receipt, consumer);
        if (h == null) {
            return AckOutcome.STALE;
        }
        if (!h.entry.fanout) {
            h.entry.receives--;
            log.received(config.name(), h.entry);
            visibleAgain(h.entry);
        }
        return AckOutcome.ACKED;
    }

    private Hand settle(long receipt, long consumer) {
        Hand h = inFlight.get(receipt);
        if (h == null || consumer >= 0 && h.consumer != consumer) {
            return null;
        }
        inFlight.remove(receipt);
        consumers.settled(h.consumer);
        return h;
    }

    /**
     * Moves what is due (delayed messages, visibility timeouts), drops expired messages and hands visible ones to
     * consumers with room.
     *
     * @return the loop-clock time at which to pump again, or {@link Long#MAX_VALUE} if nothing is pending
     */
    public long pump() {
        long now = nanoClock.getAsLong();
        while (!delayed.isEmpty() && delayed.peek().visibleAt <= now) {
            QueuedMessage e = delayed.poll();
            e.state = QueuedMessage.State.READY;
            ready.add(e);
        }
        Hand first;
        while ((first = firstInFlight()) != null && first.deadline <= now) {
            settle(first.receipt, -1);
            if (!first.entry.fanout) {
                visibleAgain(first.entry);
            }
        }
        boolean blocked = dispatch(now);
        long wake = blocked ? now + retryNanos : Long.MAX_VALUE;
        if (!delayed.isEmpty()) {
            wake = Math.min(wake, delayed.peek().visibleAt);
        }
        first = firstInFlight();
        if (first != null) {
            wake = Math.min(wake, first.deadline);
        }
        return wake;
    }

    private Hand firstInFlight() {
        return inFlight.isEmpty() ? null : inFlight.values().iterator().next();
    }

    /** Hands out what it can; true if messages wait because a consumer could not take one (retry soon). */
    private boolean dispatch(long now) {
        consumers.newPump();
        Instant wall = null;
        while (!ready.isEmpty() && !consumers.isEmpty()) {
            QueuedMessage e = ready.peek();
            if (wall == null) {
                wall = wallClock.get();
            }
            if (e.expiresAt <= now || e.message.isExpiredAt(wall)) {
                ready.poll();
                drop(e);
                expired++;
                continue;
            }
            if (e.fanout) {
                if (consumers.size() < Math.max(1, e.requiredAcks)) {
                    return false; // a QUORUM message waits for enough consumers; FIFO order holds behind it
                }
                e.receives++;
                int handed = 0;
                for (QueueConsumer c : consumers.all()) {
                    handed += handOver(e, c, now) ? 1 : 0;
                }
                if (handed == 0) {
                    e.receives--;
                    return true; // nobody reachable now
                }
                ready.poll();
                drop(e);
                continue;
            }
            QueueConsumer c = consumers.nextWithRoom();
            if (c == null) {
                return consumers.anyUnreachable();
            }
            ready.poll();
            e.receives++;
            e.state = QueuedMessage.State.IN_FLIGHT;
            if (!handOver(e, c, now)) {
                e.receives--;
                e.state = QueuedMessage.State.READY;
                ready.add(e);
            }
        }
        return false;
    }

    private boolean handOver(QueuedMessage e, QueueConsumer c, long now) {
        long receipt = ++receipts;
        Hand h = new Hand(receipt, e, c.id(), now + config.visibilityTimeout().toNanos());
        inFlight.put(receipt, h);
        consumers.took(c.id());
        if (!c.offer(new Lease(config.name(), receipt, e.message, e.origin, e.guarantee, e.clock, e.receives))) {
            inFlight.remove(receipt);
            consumers.unreachable(c.id());
            return false;
        }
        received++;
        log.received(config.name(), e);
        if (e.receives == 1) {
            listener.firstHandedOver(now - e.visibleAt);
        } else {
            redelivered++;
        }
        return true;
    }

    /** A competing message comes back: visible again, or dead-lettered after maxReceives hand-overs. */
    private void visibleAgain(QueuedMessage e) {
        if (config.maxReceives() > 0 && e.receives >= config.maxReceives() && listener.deadLetter(this, e.message,
                e.origin, "not acknowledged after " + e.receives + " receives (maxReceives " + config.maxReceives()
                        + ") on queue '" + config.name() + "'")) {
            drop(e);
            deadLettered++;
            return;
        }
        e.state = QueuedMessage.State.READY;
        ready.add(e);
    }

    private void drop(QueuedMessage e) {
        e.state = QueuedMessage.State.DONE;
        stored--;
        log.done(config.name(), e);
    }

    private void dropExpired() {
        long now = nanoClock.getAsLong();
        Instant wall = wallClock.get();
        for (PriorityQueue<QueuedMessage> q : List.of(ready, delayed)) {
            List<QueuedMessage> gone = q.stream().filter(e -> e.expiresAt <= now || e.message.isExpiredAt(wall)).toList();
            for (QueuedMessage e : gone) {
                q.remove(e);
                drop(e);
                expired++;
            }
        }
    }

    /** Forgets every message and consumer (the queue is being deleted); returns how many messages were dropped. */
    public int clear() {
        int dropped = stored;
        ready.clear();
        delayed.clear();
        inFlight.clear();
        consumers.clear();
        stored = 0;
        reserved = 0;
        return dropped;
    }

    public QueueStatistics statistics() {
        return new QueueStatistics(config.name(), sent, refused, duplicates, received, acked,
                redelivered, deadLettered, expired, inFlight.size(), ready.size() + delayed.size(), consumers.size());
    }

    private static long saturatedNanos(java.time.Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }
}
