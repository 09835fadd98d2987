package io.mpreg.federation.internal.log;

/** The types of the records in a node's log; a type's layout never changes (a new layout is a new type). */
public final class RecordTypes {
    private RecordTypes() {
    }

    /** A queue was created: its definition. */
    public static final byte QUEUE_CREATED = 1;
    /** A queue was deleted, with its messages. */
    public static final byte QUEUE_DELETED = 2;
    /** A queue accepted a message (with its dedup entry). */
    public static final byte ENQUEUED = 3;
    /** A queue handed a message out (its receive count). */
    public static final byte RECEIVED = 4;
    /** A message left its queue for good (acknowledged, expired, dead-lettered, fanned out). */
    public static final byte DONE = 5;
    /** In a snapshot: an accepted id still inside its queue's dedup window whose message is gone. */
    public static final byte DEDUP = 6;
    /** A QUORUM message reached its acknowledgements. */
    public static final byte COMPLETED = 7;
    /** In a snapshot: the next sequence number of a queue. */
    public static final byte SEQUENCE = 8;
}
