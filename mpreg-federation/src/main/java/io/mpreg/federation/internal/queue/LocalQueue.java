package io.mpreg.federation.internal.queue;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.api.VectorClock;
import io.mpreg.federation.queue.AckOutcome;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.QueueStatistics;
import io.mpreg.federation.queue.QueueType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
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
 * with the send's token: the same token again is a retransmission, another token a duplicate.
 */
public final class LocalQueue {

    /** Someone who takes messages from the queue. */
    public interface Consumer {
        /** Unique among this queue's consumers. */
        long id();

        /** Unacknowledged messages it takes at most. */
        int prefetch();

        /** Hands {@code lease} over; false if it cannot be taken now (the consumer is unreachable). */
        boolean offer(Lease lease);
    }

    /** Where dead letters go. */
    public interface Listener {
        void deadLetter(LocalQueue from, Message message, ClusterId origin, String reason);
    }

    /** A message handed to a consumer; {@code receipt} settles it. */
    public record Lease(String queue, long receipt, Message message, ClusterId origin, DeliveryGuarantee guarantee,
                        VectorClock clock, int receiveCount) {
    }

    /** What became of a send. */
    public enum Accept {
        /** Stored. */
        ACCEPTED,
        /** The same send again (same id and token), and it has reached its goal: acknowledge again. */
        RETRANSMITTED,
        /** The same send again, not complete yet (a QUORUM message short of acknowledgements): no answer yet. */
        RETRANSMITTED_PENDING,
        /** Another send of an id accepted inside the dedup window: refused. */
        DUPLICATE,
        /** No room: refused. */
        FULL
    }

    private enum State { DELAYED, READY, IN_FLIGHT, DONE }

    private static final class Dedup {
        final long token;
        boolean complete;

        Dedup(long token, boolean complete) {
            this.token = token;
            this.complete = complete;
        }
    }

    private static final class Entry {
        final long seq;
        final Message message;
        final ClusterId origin;
        final DeliveryGuarantee guarantee;
        final VectorClock clock;
        final long visibleAt;
        final long expiresAt;
        final boolean fanout;
        final int requiredAcks;
        final Runnable onComplete;
        final Dedup dedup;
        State state;
        int receives;
        int acks;

        Entry(long seq, Message message, ClusterId origin, DeliveryGuarantee guarantee, VectorClock clock,
              long visibleAt, long expiresAt, int requiredAcks, Runnable onComplete, Dedup dedup) {
            this.seq = seq;
            this.message = message;
            this.origin = origin;
            this.guarantee = guarantee;
            this.clock = clock;
            this.visibleAt = visibleAt;
            this.expiresAt = expiresAt;
            this.fanout = guarantee == DeliveryGuarantee.BROADCAST || guarantee == DeliveryGuarantee.QUORUM;
            this.requiredAcks = guarantee == DeliveryGuarantee.QUORUM ? requiredAcks : 0;
            this.onComplete = onComplete;
            this.dedup = dedup;
        }
    }

    /** One hand-over: the receipt's message, its consumer and when its visibility ends. */
    private record Hand(long receipt, Entry entry, long consumer, long deadline) {
    }

    private final QueueConfig config;
    private final LongSupplier nanoClock;
    private final Supplier<Instant> wallClock;
    private final Listener listener;
    private final long retryNanos;
    private final Cache<MessageId, Dedup> dedup;
    private final PriorityQueue<Entry> ready;
    private final PriorityQueue<Entry> delayed = new PriorityQueue<>(
            Comparator.comparingLong((Entry e) -> e.visibleAt).thenComparingLong(e -> e.seq));
    /**
     * Hand-overs not settled yet, by receipt, in the order they were made: every hand-over's deadline is its time plus
     * the queue's fixed visibility timeout on a monotonic clock, so insertion order is deadline order and the first
     * entry is always the next to expire (settling one removes it at once: no stale entries pile up).
     */
    private final Map<Long, Hand> inFlight = new LinkedHashMap<>();
    private final List<Consumer> consumers = new ArrayList<>();
    /** Consumers that could not take a message during the current pump. */
    private final Set<Long> unreachable = new HashSet<>();
    private final Map<Long, Integer> taken = new HashMap<>();
    private int next;
    private long seq;
    private long receipts;
    private int stored;
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
                      long retryNanos, long dedupCapacity) {
        this.retryNanos = retryNanos;
        this.config = config;
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
        this.listener = listener;
        this.dedup = Caffeine.newBuilder().expireAfterWrite(config.dedupWindow()).maximumSize(dedupCapacity)
                .ticker(nanoClock::getAsLong).executor(Runnable::run).build();
        Comparator<Entry> fifo = Comparator.comparingLong(e -> e.seq);
        this.ready = new PriorityQueue<>(config.type() == QueueType.PRIORITY
                ? Comparator.comparingInt((Entry e) -> -e.message.priority()).thenComparing(fifo) : fifo);
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
     * acknowledgements; {@code overCapacity} lets a message in beyond the capacity (a voted message whose room was
     * checked when the target voted).
     */
    public Accept enqueue(Message message, ClusterId origin, DeliveryGuarantee guarantee, VectorClock clock, long token,
                          int requiredAcks, Runnable onComplete, boolean overCapacity) {
        Dedup known = dedup.getIfPresent(message.id());
        if (known != null) {
            duplicates++;
            if (known.token != token) {
                return Accept.DUPLICATE;
            }
            return known.complete ? Accept.RETRANSMITTED : Accept.RETRANSMITTED_PENDING;
        }
        if (stored >= config.capacity() && !overCapacity) {
            dropExpired();
            if (stored >= config.capacity()) {
                refused++;
                return Accept.FULL;
            }
        }
        long now = nanoClock.getAsLong();
        long delay = saturatedNanos(message.delay().plus(config.defaultDelay()));
        long ttl = config.messageTtl().isZero() ? Long.MAX_VALUE : saturatedNanos(config.messageTtl());
        Dedup record = new Dedup(token, guarantee != DeliveryGuarantee.QUORUM);
        Entry e = new Entry(seq++, message, origin, guarantee, clock, now + delay, ttl == Long.MAX_VALUE
                ? Long.MAX_VALUE : now + ttl, requiredAcks, onComplete, record);
        dedup.put(message.id(), record);
        stored++;
        sent++;
        if (delay > 0) {
            e.state = State.DELAYED;
            delayed.add(e);
        } else {
            e.state = State.READY;
            ready.add(e);
        }
        return Accept.ACCEPTED;
    }

    /** Whether a message with {@code id} was accepted inside the dedup window. */
    public boolean seen(MessageId id) {
        return dedup.getIfPresent(id) != null;
    }

    /** Whether a new message would fit now. */
    public boolean hasRoom() {
        return stored < config.capacity();
    }

    public void addConsumer(Consumer consumer) {
        consumers.add(consumer);
    }

    /** Detaches a consumer; its unacknowledged competing messages become visible again at once. */
    public void removeConsumer(long id) {
        int index = -1;
        for (int i = 0; i < consumers.size(); i++) {
            if (consumers.get(i).id() == id) {
                index = i;
            }
        }
        if (index < 0) {
            return;
        }
        consumers.remove(index);
        taken.remove(id);
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
        return consumers.stream().anyMatch(c -> c.id() == id);
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
        Entry e = h.entry;
        if (!e.fanout) {
            e.state = State.DONE;
            stored--;
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
        taken.computeIfPresent(h.consumer, (c, n) -> n > 1 ? n - 1 : null);
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
            Entry e = delayed.poll();
            e.state = State.READY;
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
        if (!unreachable.isEmpty()) {
            unreachable.clear();
        }
        Instant wall = null;
        while (!ready.isEmpty() && !consumers.isEmpty()) {
            Entry e = ready.peek();
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
                for (Consumer c : List.copyOf(consumers)) {
                    handed += handOver(e, c, now, unreachable) ? 1 : 0;
                }
                if (handed == 0) {
                    e.receives--;
                    return true; // nobody reachable now
                }
                ready.poll();
                e.state = State.DONE;
                stored--;
                continue;
            }
            Consumer c = nextWithRoom(unreachable);
            if (c == null) {
                return !unreachable.isEmpty();
            }
            ready.poll();
            e.receives++;
            e.state = State.IN_FLIGHT;
            if (!handOver(e, c, now, unreachable)) {
                e.receives--;
                e.state = State.READY;
                ready.add(e);
            }
        }
        return false;
    }

    private boolean handOver(Entry e, Consumer c, long now, Set<Long> unreachable) {
        long receipt = ++receipts;
        Hand h = new Hand(receipt, e, c.id(), now + config.visibilityTimeout().toNanos());
        inFlight.put(receipt, h);
        taken.merge(c.id(), 1, Integer::sum);
        if (!c.offer(new Lease(config.name(), receipt, e.message, e.origin, e.guarantee, e.clock, e.receives))) {
            inFlight.remove(receipt);
            taken.computeIfPresent(c.id(), (k, n) -> n > 1 ? n - 1 : null);
            unreachable.add(c.id());
            return false;
        }
        received++;
        if (e.receives > 1) {
            redelivered++;
        }
        return true;
    }

    private Consumer nextWithRoom(Set<Long> unreachable) {
        for (int i = 0; i < consumers.size(); i++) {
            Consumer c = consumers.get((next + i) % consumers.size());
            if (!unreachable.contains(c.id()) && taken.getOrDefault(c.id(), 0) < c.prefetch()) {
                next = (next + i + 1) % consumers.size();
                return c;
            }
        }
        return null;
    }

    /** A competing message comes back: visible again, or dead-lettered after maxReceives hand-overs. */
    private void visibleAgain(Entry e) {
        if (config.maxReceives() > 0 && e.receives >= config.maxReceives()) {
            drop(e);
            deadLettered++;
            listener.deadLetter(this, e.message, e.origin, "not acknowledged after " + e.receives
                    + " receives (maxReceives " + config.maxReceives() + ") on queue '" + config.name() + "'");
            return;
        }
        e.state = State.READY;
        ready.add(e);
    }

    private void drop(Entry e) {
        e.state = State.DONE;
        stored--;
    }

    private void dropExpired() {
        long now = nanoClock.getAsLong();
        Instant wall = wallClock.get();
        for (PriorityQueue<Entry> q : List.of(ready, delayed)) {
            List<Entry> gone = q.stream().filter(e -> e.expiresAt <= now || e.message.isExpiredAt(wall)).toList();
            for (Entry e : gone) {
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
        taken.clear();
        stored = 0;
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
