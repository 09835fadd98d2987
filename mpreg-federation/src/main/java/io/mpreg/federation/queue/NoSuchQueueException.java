package io.mpreg.federation.queue;

import io.mpreg.api.ClusterId;
import io.mpreg.api.MpregException;

import java.util.Set;

/**
 * A send named a queue that no cluster of the federation holds (as far as the sending node knows: its own queues and
 * the advertisements it received).
 *
 * @since 0.1.0
 */
public final class NoSuchQueueException extends MpregException {
    private static final long serialVersionUID = 1L;
    private final String queue;

    public NoSuchQueueException(String queue, ClusterId askedAt, Set<ClusterId> clustersWithQueues) {
        super("no such queue '" + queue + "' in the federation (asked at " + askedAt + "; clusters advertising queues: "
                + clustersWithQueues + ")");
        this.queue = queue;
    }

    /** The queue that was not found. */
    public String queue() {
        return queue;
    }
}
