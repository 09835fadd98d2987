package io.mpreg.federation.queue;

/**
 * One local queue's figures since it was created.
 *
 * @param name         the queue, or {@code *} for a node's totals over its queues
 * @param sent         messages accepted into the queue
 * @param refused      sends refused (queue full)
 * @param duplicates   sends of a message id already accepted inside the dedup window (refused, or acknowledged again
 *                     for a retransmission)
 * @param received     hand-overs to consumers (redeliveries included)
 * @param acked        messages acknowledged by a consumer
 * @param redelivered  hand-overs of a message that had been handed over before
 * @param deadLettered messages moved to the dead-letter queue (or dropped, without one) after too many receives
 * @param expired      messages dropped because their deadline or the queue's time to live passed before a read
 * @param inFlight     messages handed over and not yet acknowledged now
 * @param depth        messages waiting now (visible or delayed; in-flight ones excluded)
 * @param consumers    consumers attached now (local and remote)
 * @since 0.1.0
 */
public record QueueStatistics(String name, long sent, long refused, long duplicates, long received,
                              long acked, long redelivered, long deadLettered, long expired, int inFlight, int depth,
                              int consumers) {
}
