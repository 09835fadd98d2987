package io.mpreg.federation;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Message;
import io.mpreg.api.VectorClock;
import io.mpreg.federation.queue.AckOutcome;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A message handed to a subscriber by a queue: the message, the cluster that sent it, its guarantee, for CAUSAL the
 * sender's vector clock, the cluster whose queue holds it and how often it was handed out. The subscriber
 * {@link #ack() acknowledges} it (done automatically when the handler returns, unless the subscription asked for
 * manual acknowledgement) or {@link #release() releases} it; a delivery neither acknowledged nor released within the
 * queue's visibility timeout becomes visible again and is redelivered.
 *
 * @since 0.1.0
 */
public final class Delivery {
    private final Message message;
    private final ClusterId origin;
    private final DeliveryGuarantee guarantee;
    private final VectorClock clock;
    private final ClusterId queueCluster;
    private final int receiveCount;
    private final Function<Boolean, CompletableFuture<AckOutcome>> settle;
    private volatile CompletableFuture<AckOutcome> settled;

    /**
     * A delivery. {@code settle} is how it is settled: called once, with {@code true} to acknowledge and
     * {@code false} to release.
     */
    public Delivery(Message message, ClusterId origin, DeliveryGuarantee guarantee, VectorClock clock,
                    ClusterId queueCluster, int receiveCount, Function<Boolean, CompletableFuture<AckOutcome>> settle) {
        if (message == null || origin == null || guarantee == null || queueCluster == null || settle == null) {
            throw new IllegalArgumentException("a delivery needs a message, an origin, a guarantee, a queue cluster "
                    + "and a way to settle it");
        }
        this.message = message;
        this.origin = origin;
        this.guarantee = guarantee;
        this.clock = clock;
        this.queueCluster = queueCluster;
        this.receiveCount = receiveCount;
        this.settle = settle;
    }

    public Message message() {
        return message;
    }

    /** The cluster that sent the message. */
    public ClusterId origin() {
        return origin;
    }

    public DeliveryGuarantee guarantee() {
        return guarantee;
    }

    /** The sender's vector clock (CAUSAL), otherwise null. */
    public VectorClock clock() {
        return clock;
    }

    /** The cluster whose queue holds the message (this node's own cluster, or another for a remote queue). */
    public ClusterId queueCluster() {
        return queueCluster;
    }

    /** How often the message was handed out, this time included (1 the first time). */
    public int receiveCount() {
        return receiveCount;
    }

    /** Acknowledges the message: the queue is done with it. Only the first settlement counts; later calls return it. */
    public CompletableFuture<AckOutcome> ack() {
        return settleOnce(true);
    }

    /** Gives the message back: it becomes visible again at once (and counts as a receive). */
    public CompletableFuture<AckOutcome> release() {
        return settleOnce(false);
    }

    /** Whether {@link #ack()} or {@link #release()} was called. */
    public boolean isSettled() {
        return settled != null;
    }

    private synchronized CompletableFuture<AckOutcome> settleOnce(boolean ack) {
        if (settled == null) {
            settled = settle.apply(ack);
        }
        return settled;
    }

    @Override
    public String toString() {
        return "Delivery[" + message + ", origin=" + origin + ", guarantee=" + guarantee + ", queue on "
                + queueCluster + ", receive " + receiveCount + "]";
    }
}
