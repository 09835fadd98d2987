package io.mpreg.federation.internal.queue;

/** Someone who takes messages from a {@link LocalQueue}: an application's subscription here, or another cluster's. */
public interface QueueConsumer {
    /** Unique among this queue's consumers. */
    long id();

    /** Unacknowledged messages it takes at most. */
    int prefetch();

    /** Hands {@code lease} over; false if it cannot be taken now (the consumer is unreachable). */
    boolean offer(Lease lease);
}
