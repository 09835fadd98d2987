package io.mpreg.federation.internal.queue;

import io.mpreg.federation.internal.log.LogTime;
import io.mpreg.federation.internal.log.RecordTypes;
import io.mpreg.federation.internal.log.RecordWriter;
import io.mpreg.federation.internal.log.StateLog;


/**
 * What the queues write to the node's log: every accepted message, hand-over, departure and completion, and the
 * queues' definitions. Times are stored as wall-clock epoch nanoseconds (the loop's clock starts again with the
 * process) and converted back on recovery. In memory it writes nothing and encodes nothing.
 */
public final class QueueLog {
    static final long NEVER = LogTime.NEVER;

    private final StateLog log;
    private final LogTime time;

    public QueueLog(StateLog log, LogTime time) {
        this.log = log;
        this.time = time;
    }

    boolean durable() {
        return log.isDurable();
    }

    /** Loop-clock time {@code nanos} as wall-clock epoch nanoseconds ({@link #NEVER} stays). */
    long toWall(long nanos) {
        return time.toWall(nanos);
    }

    /** Wall-clock epoch nanoseconds as loop-clock time ({@link #NEVER} stays). */
    long toLoop(long wallNanos) {
        return time.toLoop(wallNanos);
    }

    /**
     * A message's visibility or expiry time, written as {@code wallNanos} when the message was accepted at
     * {@code acceptedAtWall}, as loop-clock time after a restart: the wall-clock time, but never further away than it
     * was at acceptance. A wall clock set back across the restart then does not hold a message back (or keep it) for
     * longer than its own delay (or time to live): a message visible at once stays visible at once, in its place.
     */
    long restored(long wallNanos, long acceptedAtWall) {
        if (wallNanos == NEVER) {
            return NEVER;
        }
        return Math.min(toLoop(wallNanos), time.loopNow() + Math.max(0, wallNanos - acceptedAtWall));
    }

    void created(io.mpreg.federation.queue.QueueConfig config) {
        if (log.isDurable()) {
            log.append(RecordTypes.QUEUE_CREATED, writeConfig(new RecordWriter(), config));
        }
    }

    void deleted(String name) {
        if (log.isDurable()) {
            log.append(RecordTypes.QUEUE_DELETED, new RecordWriter().putString(name));
        }
    }

    void enqueued(String queue, QueuedMessage e) {
        if (log.isDurable()) {
            log.append(RecordTypes.ENQUEUED, writeEnqueued(new RecordWriter(), queue, e));
        }
    }

    void received(String queue, QueuedMessage e) {
        if (log.isDurable()) {
            log.append(RecordTypes.RECEIVED, writeReceived(queue, e));
        }
    }

    void done(String queue, QueuedMessage e) {
        if (log.isDurable()) {
            log.append(RecordTypes.DONE, new RecordWriter().putString(queue).putLong(e.seq));
        }
    }

    void completed(String queue, QueuedMessage e) {
        if (log.isDurable()) {
            log.append(RecordTypes.COMPLETED, new RecordWriter().putString(queue).putId(e.message.id()));
        }
    }

    RecordWriter writeEnqueued(RecordWriter w, String queue, QueuedMessage e) {
        return w.putString(queue).putLong(e.seq).putMessage(e.message).putString(e.origin.value())
                .putInt(e.guarantee.ordinal()).putClock(e.clock).putLong(toWall(e.visibleAt))
                .putLong(toWall(e.expiresAt)).putInt(e.requiredAcks).putLong(e.dedup.token)
                .putLong(e.dedup.fingerprint).putLong(toWall(e.dedup.writtenAt)).putBoolean(e.dedup.complete);
    }

    static RecordWriter writeReceived(String queue, QueuedMessage e) {
        return new RecordWriter().putString(queue).putLong(e.seq).putInt(e.receives);
    }

    /** A snapshot's entry for an id still in the dedup window whose message is gone. */
    RecordWriter writeDedup(String queue, io.mpreg.api.MessageId id, QueuedMessage.Dedup d) {
        return new RecordWriter().putString(queue).putId(id).putLong(d.token).putLong(d.fingerprint)
                .putLong(toWall(d.writtenAt)).putBoolean(d.complete);
    }

    static RecordWriter writeConfig(RecordWriter w, io.mpreg.federation.queue.QueueConfig c) {
        return w.putString(c.name()).putInt(c.type().ordinal()).putInt(c.capacity())
                .putDuration(c.visibilityTimeout()).putInt(c.maxReceives()).putString(c.deadLetterQueue())
                .putDuration(c.dedupWindow()).putDuration(c.defaultDelay()).putDuration(c.messageTtl());
    }
}
