package io.mpreg.federation.internal.queue;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.api.VectorClock;
import io.mpreg.federation.internal.log.RecordInput;
import io.mpreg.federation.internal.log.RecordTypes;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.QueueType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the queues from the records a log replays, in the order they were written: definitions, the messages
 * still there (accepted and not gone) with their receive counts, the dedup windows, and each queue's next sequence
 * number. Replaying a record twice changes nothing (a snapshot and the segment after it may both hold it).
 */
public final class QueueRecovery {

    private static final class Restored {
        final long seq;
        final Message message;
        final ClusterId origin;
        final DeliveryGuarantee guarantee;
        final VectorClock clock;
        final long visibleAtWall;
        final long expiresAtWall;
        final int requiredAcks;
        final long token;
        final long fingerprint;
        final long writtenAtWall;
        boolean complete;
        boolean gone;
        int receives;
        QueuedMessage.Dedup entry;

        Restored(RecordInput in, long seq, Map<String, ClusterId> clusters) {
            this.seq = seq;
            this.message = in.getMessage();
            this.origin = clusters.computeIfAbsent(in.getString(), ClusterId::of);
            this.guarantee = DeliveryGuarantee.values()[in.getInt()];
            this.clock = in.getClock();
            this.visibleAtWall = in.getLong();
            this.expiresAtWall = in.getLong();
            this.requiredAcks = in.getInt();
            this.token = in.getLong();
            this.fingerprint = in.getLong();
            this.writtenAtWall = in.getLong();
            this.complete = in.getBoolean();
        }
    }

    private record DedupEntry(MessageId id, long token, long fingerprint, long writtenAtWall, boolean complete) {
    }

    private static final class Queue {
        final QueueConfig config;
        final Map<Long, Restored> bySeq = new LinkedHashMap<>();
        final Map<MessageId, Restored> byId = new HashMap<>();
        final Map<MessageId, DedupEntry> dedup = new LinkedHashMap<>();
        long nextSeq;

        Queue(QueueConfig config) {
            this.config = config;
        }
    }

    private final Map<String, Queue> queues = new LinkedHashMap<>();
    /** Each origin's id once: the records name a handful of clusters a million times. */
    private final Map<String, ClusterId> clusters = new HashMap<>();
    private long records;

    /** Takes one replayed record; false if it is not a queue record. */
    public boolean record(byte type, byte[] payload) {
        RecordInput in = new RecordInput(payload);
        switch (type) {
            case RecordTypes.QUEUE_CREATED -> {
                QueueConfig config = readConfig(in);
                queues.putIfAbsent(config.name(), new Queue(config));
            }
            case RecordTypes.QUEUE_DELETED -> queues.remove(in.getString());
            case RecordTypes.ENQUEUED -> {
                Queue q = queues.get(in.getString());
                long seq = in.getLong();
                if (q != null && !q.bySeq.containsKey(seq)) {
                    Restored r = new Restored(in, seq, clusters);
                    q.bySeq.put(seq, r);
                    q.byId.put(r.message.id(), r);
                    q.nextSeq = Math.max(q.nextSeq, seq + 1);
                }
            }
            case RecordTypes.RECEIVED -> {
                Restored r = message(in);
                if (r != null) {
                    r.receives = in.getInt();
                }
            }
            case RecordTypes.DONE -> {
                Restored r = message(in);
                if (r != null) {
                    r.gone = true;
                }
            }
            case RecordTypes.COMPLETED -> {
                Queue q = queues.get(in.getString());
                Restored r = q == null ? null : q.byId.get(in.getId());
                if (r != null) {
                    r.complete = true;
                }
            }
            case RecordTypes.DEDUP -> {
                Queue q = queues.get(in.getString());
                if (q != null) {
                    DedupEntry d = new DedupEntry(in.getId(), in.getLong(), in.getLong(), in.getLong(),
                            in.getBoolean());
                    q.dedup.put(d.id, d);
                }
            }
            case RecordTypes.SEQUENCE -> {
                Queue q = queues.get(in.getString());
                if (q != null) {
                    q.nextSeq = Math.max(q.nextSeq, in.getLong());
                }
            }
            default -> {
                return false;
            }
        }
        records++;
        return true;
    }

    private Restored message(RecordInput in) {
        Queue q = queues.get(in.getString());
        return q == null ? null : q.bySeq.get(in.getLong());
    }

    /** Creates the recovered queues in {@code into} and puts their messages and dedup windows back. */
    public int apply(LocalQueues into, QueueLog log) {
        int messages = 0;
        for (Queue q : queues.values()) {
            LocalQueue queue = into.restoreQueue(q.config);
            record Windowed(MessageId id, long writtenAtWall, QueuedMessage.Dedup entry) {
            }
            List<Windowed> window = new ArrayList<>();
            for (DedupEntry d : q.dedup.values()) {
                window.add(new Windowed(d.id, d.writtenAtWall, new QueuedMessage.Dedup(d.token, d.fingerprint,
                        log.toLoop(d.writtenAtWall), d.complete)));
            }
            for (Restored r : q.bySeq.values()) {
                r.entry = new QueuedMessage.Dedup(r.token, r.fingerprint, log.toLoop(r.writtenAtWall), r.complete);
                window.add(new Windowed(r.message.id(), r.writtenAtWall, r.entry));
            }
            window.sort(Comparator.comparingLong(Windowed::writtenAtWall));
            window.forEach(w -> queue.restoreDedup(w.id, w.entry));
            for (Restored r : q.bySeq.values()) {
                if (!r.gone) {
                    queue.restore(r.seq, r.message, r.origin, r.guarantee, r.clock,
                            log.restored(r.visibleAtWall, r.writtenAtWall), log.restored(r.expiresAtWall,
                                    r.writtenAtWall), r.requiredAcks, r.entry, r.receives);
                    messages++;
                }
            }
            queue.restoreSequence(q.nextSeq);
        }
        return messages;
    }

    /** Records taken. */
    public long records() {
        return records;
    }

    static QueueConfig readConfig(RecordInput in) {
        return new QueueConfig(in.getString(), QueueType.values()[in.getInt()], in.getInt(), in.getDuration(),
                in.getInt(), in.getString(), in.getDuration(), in.getDuration(), in.getDuration());
    }
}
