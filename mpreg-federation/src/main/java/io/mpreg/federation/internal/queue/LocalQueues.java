package io.mpreg.federation.internal.queue;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.api.VectorClock;
import io.mpreg.federation.EventLoop;
import io.mpreg.federation.internal.NodeSettings;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.QueueInfo;
import io.mpreg.federation.queue.QueueStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The queues that live on this node, each a {@link LocalQueue} pumped on the loop's clock: created and deleted here,
 * offered messages by the receiving side, taken from by local and remote consumers, their dead letters moved to their
 * dead-letter queues. Says when the set of queues changed (to advertise it and re-bind subscriptions) and which queue
 * was deleted (to end the leases held on it). Loop-thread only.
 */
public final class LocalQueues {
    private static final Logger LOG = LoggerFactory.getLogger(LocalQueues.class);
    static final String DEAD_LETTER_REASON = "mpreg-dead-letter-reason";
    static final String DEAD_LETTER_SOURCE = "mpreg-dead-letter-queue";

    /** What the rest of the node hears of changes to the set of queues. */
    public interface Changes {
        /** Queue {@code name} was deleted; called before its messages are dropped. */
        void deleted(String name);

        /** A queue was created or deleted. */
        void changed();
    }

    private final NodeSettings settings;
    private final EventLoop loop;
    private final ClusterId self;
    private final Changes changes;
    private final Map<String, LocalQueue> local = new TreeMap<>();
    private final Map<String, EventLoop.Timer> wakeTimers = new HashMap<>();
    private final Map<String, Long> wakeAt = new HashMap<>();
    private final QueueLog log;
    /** How long messages waited in the local queues for their first consumer. */
    private final io.mpreg.consensus.LatencyHistogram waits = new io.mpreg.consensus.LatencyHistogram();
    private final LocalQueue.Listener listener = new LocalQueue.Listener() {
        @Override
        public boolean deadLetter(LocalQueue from, Message message, ClusterId origin, String reason) {
            return LocalQueues.this.deadLetter(from, message, origin, reason);
        }

        @Override
        public void firstHandedOver(long waitedNanos) {
            waits.record(waitedNanos);
        }
    };
    private long consumerIds;

    public LocalQueues(NodeSettings settings, EventLoop loop, Changes changes, QueueLog log) {
        this.log = log;
        this.settings = settings;
        this.loop = loop;
        this.self = settings.node().cluster();
        this.changes = changes;
    }

    /** Creates a local queue; the same definition again is a no-op, another definition for the name an error. */
    public QueueInfo create(QueueConfig config) {
        LocalQueue existing = local.get(config.name());
        if (existing != null) {
            if (!existing.config().equals(config)) {
                throw new IllegalStateException("queue '" + config.name() + "' exists on cluster " + self
                        + " with another definition: " + existing.config() + "; delete it first");
            }
            return info(existing);
        }
        LocalQueue q = newQueue(config);
        log.created(config);
        LOG.info("{}: created queue {}", settings.node(), config);
        changes.changed();
        return info(q);
    }

    private LocalQueue newQueue(QueueConfig config) {
        LocalQueue q = new LocalQueue(config, loop::nanoTime, settings.wallClock()::instant, listener,
                settings.retryMin().toNanos(), settings.dedupCapacity(), log);
        local.put(config.name(), q);
        return q;
    }

    /** A queue recovered from the log (its messages are put back by the caller); not written to the log again. */
    LocalQueue restoreQueue(QueueConfig config) {
        return newQueue(config);
    }

    /** Recovery is over: every queue is pumped (so its delayed messages wake it) and the set of queues is told. */
    public void recovered() {
        local.values().forEach(this::pump);
        if (!local.isEmpty()) {
            changes.changed();
        }
    }

    /** Writes every queue's live state, for a snapshot of the log. */
    public void snapshot(io.mpreg.federation.internal.log.Journal.Sink sink) {
        local.values().forEach(q -> q.snapshot(sink));
    }

    /** Deletes a local queue, its messages and its consumers; the withdrawal spreads at once. */
    public boolean delete(String name) {
        LocalQueue q = local.remove(name);
        if (q == null) {
            return false;
        }
        EventLoop.Timer t = wakeTimers.remove(name);
        if (t != null) {
            t.cancel();
        }
        wakeAt.remove(name);
        log.deleted(name);
        changes.deleted(name);
        int dropped = q.clear();
        LOG.info("{}: deleted queue '{}' ({} messages dropped)", settings.node(), name, dropped);
        changes.changed();
        return true;
    }

    /** The local queue named {@code name}, or null. */
    public LocalQueue get(String name) {
        return local.get(name);
    }

    /** The local queues, by name. */
    public Collection<LocalQueue> all() {
        return Collections.unmodifiableCollection(local.values());
    }

    public boolean exists(String name) {
        return local.containsKey(name);
    }

    /** Whether a message to local queue {@code name} would fit now (false if there is no such queue). */
    public boolean hasRoom(String name) {
        LocalQueue q = local.get(name);
        return q != null && q.hasRoom();
    }

    /** Whether message {@code id} was accepted by local queue {@code name} inside its dedup window. */
    public boolean seen(String name, MessageId id) {
        LocalQueue q = local.get(name);
        return q != null && q.seen(id);
    }

    /**
     * Offers a message to local queue {@code message.queue()}; {@code null} if there is none. See
     * {@link LocalQueue#enqueue}.
     */
    public Enqueued enqueue(Message message, ClusterId origin, DeliveryGuarantee guarantee,
                                     VectorClock clock, long token, int requiredAcks, Runnable onComplete,
                                     boolean reservedSlot) {
        LocalQueue q = local.get(message.queue());
        if (q == null) {
            return null;
        }
        Enqueued a = q.enqueue(message, origin, guarantee, clock, token, requiredAcks, onComplete,
                reservedSlot);
        if (a == Enqueued.ACCEPTED) {
            pump(q);
        }
        return a;
    }

    /** Reserves a slot in local queue {@code name} ({@link LocalQueue#reserve}); false if full or missing. */
    public boolean reserve(String name) {
        LocalQueue q = local.get(name);
        return q != null && q.reserve();
    }

    /** Gives back a slot reserved in local queue {@code name}, if it still exists. */
    public void unreserve(String name) {
        LocalQueue q = local.get(name);
        if (q != null) {
            q.unreserve();
        }
    }

    public int capacity(String name) {
        LocalQueue q = local.get(name);
        return q == null ? 0 : q.config().capacity();
    }

    public SortedMap<String, QueueStatistics> statistics() {
        SortedMap<String, QueueStatistics> out = new TreeMap<>();
        local.forEach((n, q) -> out.put(n, q.statistics()));
        return out;
    }

    /** A consumer id unique on this node, for local and remote consumers alike (they share the queues). */
    long nextConsumerId() {
        return ++consumerIds;
    }

    QueueInfo info(LocalQueue q) {
        return new QueueInfo(self, q.name(), q.config().type());
    }

    /** How long messages waited in this node's queues for their first consumer, under the fixed latency bounds. */
    public io.mpreg.api.LatencyBuckets waitBuckets() {
        return waits.buckets();
    }

    private boolean deadLetter(LocalQueue from, Message message, ClusterId origin, String reason) {
        String dlq = from.config().deadLetterQueue();
        if (dlq.isEmpty()) {
            LOG.warn("{}: dropped dead letter {} ({}; queue '{}' has no dead-letter queue)", settings.node(),
                    message.id(), reason, from.name());
            return true;
        }
        if (!local.containsKey(dlq)) {
            create(QueueConfig.fifo(dlq).withMaxReceives(0).withDeadLetterQueue(""));
        }
        Map<String, String> headers = new LinkedHashMap<>(message.headers());
        headers.put(DEAD_LETTER_REASON, reason);
        headers.put(DEAD_LETTER_SOURCE, from.name());
        Message letter = new Message(message.id(), dlq, message.payload(), headers, message.priority(),
                java.time.Duration.ZERO, null);
        Enqueued a = enqueue(letter, origin, DeliveryGuarantee.AT_LEAST_ONCE, null,
                settings.random().nextLong(), 1, null, false);
        if (a == Enqueued.FULL) {
            LOG.warn("{}: dead-letter queue '{}' is full; {} stays in queue '{}' until it has room", settings.node(),
                    dlq, message.id(), from.name());
            return false;
        }
        if (a != Enqueued.ACCEPTED) {
            LOG.warn("{}: dead-letter queue '{}' did not take {} ({})", settings.node(), dlq, message.id(), a);
        }
        return true;
    }

    /** Pumps {@code q} and makes sure the loop wakes it when its next message becomes due. */
    void pump(LocalQueue q) {
        long wake = q.pump();
        if (wake == Long.MAX_VALUE) {
            return;
        }
        Long scheduled = wakeAt.get(q.name());
        if (scheduled != null && scheduled <= wake) {
            return;
        }
        EventLoop.Timer old = wakeTimers.get(q.name());
        if (old != null) {
            old.cancel();
        }
        wakeAt.put(q.name(), wake);
        wakeTimers.put(q.name(), loop.schedule(Math.max(0, wake - loop.nanoTime()), () -> {
            wakeTimers.remove(q.name());
            wakeAt.remove(q.name());
            if (local.get(q.name()) == q) {
                pump(q);
            }
        }));
    }
}
