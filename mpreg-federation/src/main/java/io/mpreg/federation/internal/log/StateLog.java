package io.mpreg.federation.internal.log;

/**
 * What the node's parts see of its log: append a record, run something once what was appended is synced, and
 * whether the log can write now. In memory (no data directory) nothing is written and everything counts as synced
 * at once. Loop-thread only.
 */
public final class StateLog {
    private final boolean durable;
    private Journal journal;

    private StateLog(boolean durable) {
        this.durable = durable;
    }

    /** A node without a log. */
    public static StateLog inMemory() {
        return new StateLog(false);
    }

    /** A node whose log is {@link #attach attached} when it recovers, before it appends anything. */
    public static StateLog durable() {
        return new StateLog(true);
    }

    /** The log recovered; records go to it from now on. */
    public void attach(Journal recovered) {
        if (!durable || journal != null) {
            throw new IllegalStateException("a log is attached once, to a durable node");
        }
        this.journal = recovered;
    }

    /** Whether records go to a disk. */
    public boolean isDurable() {
        return durable;
    }

    public void append(byte type, RecordWriter record) {
        if (journal != null) {
            journal.append(type, record.toBytes());
        }
    }

    /** Runs {@code action} once every record appended so far is synced: at once in memory or if they are. */
    public void afterSync(Runnable action) {
        if (journal == null) {
            action.run();
        } else {
            journal.afterSync(action);
        }
    }

    /** Why nothing can be stored now, or null. */
    public String failure() {
        return journal == null ? null : journal.failure();
    }
}
