/**
 * Federated queues: {@link io.mpreg.federation.queue.QueueConfig definitions} of the queues a cluster stores,
 * {@link io.mpreg.federation.queue.QueueInfo discovery results}, the one {@link io.mpreg.federation.queue.QueuePattern
 * pattern syntax}, {@link io.mpreg.federation.queue.SubscribeOptions subscription options},
 * {@link io.mpreg.federation.queue.AckOutcome acknowledgement outcomes} and
 * {@link io.mpreg.federation.queue.QueueStatistics figures}. The calls are on {@link io.mpreg.federation.FederationNode}.
 *
 * @since 0.1.0
 */
package io.mpreg.federation.queue;
