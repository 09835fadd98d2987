package io.mpreg.federation.internal.queue;

import io.mpreg.federation.queue.QueueStatistics;

import java.util.Collection;

/** A node's queue figures: the sum over its queues. */
public final class QueueTotals {
    private QueueTotals() {
    }

    public static QueueStatistics of(Collection<QueueStatistics> queues) {
        long sent = 0, refused = 0, duplicates = 0, received = 0, acked = 0, redelivered = 0, dead = 0, expired = 0;
        int inFlight = 0, depth = 0, consumers = 0;
        for (QueueStatistics s : queues) {
            sent += s.sent();
            refused += s.refused();
            duplicates += s.duplicates();
            received += s.received();
            acked += s.acked();
            redelivered += s.redelivered();
            dead += s.deadLettered();
            expired += s.expired();
            inFlight += s.inFlight();
            depth += s.depth();
            consumers += s.consumers();
        }
        return new QueueStatistics("*", sent, refused, duplicates, received, acked, redelivered, dead, expired,
                inFlight, depth, consumers);
    }
}
