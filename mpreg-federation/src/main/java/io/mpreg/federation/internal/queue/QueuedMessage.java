package io.mpreg.federation.internal.queue;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Message;
import io.mpreg.api.VectorClock;

/**
 * A message a {@link LocalQueue} holds, with where it stands: delayed, ready, handed out or done; how often it was
 * handed out and, for QUORUM, acknowledged; and its entry in the queue's dedup window.
 */
final class QueuedMessage {
    enum State { DELAYED, READY, IN_FLIGHT, DONE }

    /**
     * An accepted id in the dedup window: the token of its send, the {@link Fingerprint} of its content, and whether
     * that send reached its goal.
     */
    static final class Dedup {
        final long token;
        final long fingerprint;
        /** When the id was accepted, on the loop's clock. */
        final long writtenAt;
        boolean complete;

        Dedup(long token, long fingerprint, long writtenAt, boolean complete) {
            this.token = token;
            this.fingerprint = fingerprint;
            this.writtenAt = writtenAt;
            this.complete = complete;
        }
    }

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
    /** Hand-overs so far; a message handed out when its node stopped comes back with its count. */
    int receives;
    int acks;

    QueuedMessage(long seq, Message message, ClusterId origin, DeliveryGuarantee guarantee, VectorClock clock,
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
