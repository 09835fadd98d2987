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
    /** The inbox remembered a committed or CAUSAL message id (whether it was stored) in its dedup window. */
    public static final byte SEEN = 9;
    /** A CAUSAL message is held back until what it depends on is delivered. */
    public static final byte CAUSAL_HELD = 10;
    /** The delivered clock advanced: one origin's entry. */
    public static final byte CAUSAL_CLOCK = 11;
    /** This node sent a CAUSAL message: retransmitted after a restart until every target answered. */
    public static final byte CAUSAL_SENT = 12;
    /** Every target of a CAUSAL message this node sent answered, or its send timed out. */
    public static final byte CAUSAL_SENT_DONE = 13;
    // 14 (VOTED) and 17 (ROUND_DECIDED) held votes and decisions without round terms and certificates: no build
    // reads them any more, so a log that holds them is refused at recovery as of an unknown type.
    /** This cluster voted in a round: the signed vote, and the message it holds, with the round's terms, if yes. */
    public static final byte VOTED = 18;
    /** As {@link #VOTED}, for a round of several messages: the yes vote holds them all. */
    public static final byte VOTED_ROUND = 21;
    /** A round this cluster voted yes in was decided (or given up): the message is no longer held. */
    public static final byte VOTE_SETTLED = 15;
    /** A round this node coordinates was opened: its targets. */
    public static final byte ROUND_OPENED = 16;
    /** A round this node coordinates was decided: its outcome, and the certificate of a COMMIT. */
    public static final byte ROUND_DECIDED = 19;
    /**
     * In a snapshot: the highest round of a coordinator whose vote this cluster no longer remembers (it votes in none
     * of that coordinator's rounds up to it, unless it remembers its vote).
     */
    public static final byte VOTES_FORGOTTEN = 20;
}
