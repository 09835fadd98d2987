package io.mpreg.federation.queue;

import io.mpreg.api.Message;

import java.time.Duration;

/**
 * A local queue's definition. Start from {@link #fifo(String)} or {@link #priority(String)} and adjust with the
 * {@code with...} methods; every instance is validated on construction.
 *
 * @param name              the queue's name (see {@link Message#requireQueueName})
 * @param type              FIFO or PRIORITY ordering
 * @param capacity          messages the queue holds at most (visible, delayed and in flight); beyond, sends are
 *                          refused with "queue full"
 * @param visibilityTimeout how long a message handed to a consumer stays invisible to others; unacknowledged by
 *                          then, it becomes visible again and is redelivered
 * @param maxReceives       hand-overs a message gets at most; one that comes back after that many goes to the
 *                          dead-letter queue with the reason recorded; 0 means unlimited
 * @param deadLetterQueue   the local queue that takes dead letters (created as FIFO when first needed), or empty to
 *                          drop them (they are still counted)
 * @param dedupWindow       how long an accepted message id is remembered; another message with the same id inside the
 *                          window is refused as a duplicate (a retransmission of the same send is acknowledged again).
 *                          A queue remembers at most the node's dedup capacity of ids (the builder's
 *                          {@code dedupWindow(window, capacity)}, default 1,000,000), oldest first out
 * @param defaultDelay      added to every message's own delay (a delay queue); zero for none
 * @param messageTtl        how long an accepted message may wait before it is dropped as expired (checked when it is
 *                          read, besides the message's own deadline); zero for no limit
 * @since 0.1.0
 */
public record QueueConfig(String name, QueueType type, int capacity, Duration visibilityTimeout, int maxReceives,
                          String deadLetterQueue, Duration dedupWindow, Duration defaultDelay, Duration messageTtl) {
    /** Default capacity: 100,000 messages. */
    public static final int DEFAULT_CAPACITY = 100_000;
    /** Default visibility timeout: 30 seconds. */
    public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);
    /** Default receives before dead-lettering: 10. */
    public static final int DEFAULT_MAX_RECEIVES = 10;
    /** Default dedup window: 5 minutes. */
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofMinutes(5);
    /** The suffix of the default dead-letter queue's name. */
    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    public QueueConfig {
        Message.requireQueueName(name);
        if (type == null) {
            throw new IllegalArgumentException("queue '" + name + "': type must not be null");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("queue '" + name + "': capacity must be >= 1, got " + capacity);
        }
        positive(name, "visibilityTimeout", visibilityTimeout);
        if (maxReceives < 0) {
            throw new IllegalArgumentException("queue '" + name + "': maxReceives must be >= 0 (0 = unlimited), got "
                    + maxReceives);
        }
        if (deadLetterQueue == null) {
            throw new IllegalArgumentException("queue '" + name + "': deadLetterQueue must not be null (empty for none)");
        }
        if (!deadLetterQueue.isEmpty()) {
            Message.requireQueueName(deadLetterQueue);
            if (deadLetterQueue.equals(name)) {
                throw new IllegalArgumentException("queue '" + name + "' cannot be its own dead-letter queue");
            }
        }
        positive(name, "dedupWindow", dedupWindow);
        if (defaultDelay == null || defaultDelay.isNegative()) {
            throw new IllegalArgumentException("queue '" + name + "': defaultDelay must be zero or positive, got "
                    + defaultDelay);
        }
        if (messageTtl == null || messageTtl.isNegative()) {
            throw new IllegalArgumentException("queue '" + name + "': messageTtl must be zero (none) or positive, got "
                    + messageTtl);
        }
    }

    private static void positive(String queue, String what, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("queue '" + queue + "': " + what + " must be positive, got " + d);
        }
    }

    /** A FIFO queue with the defaults: see the constants; dead letters go to {@code name + ".dlq"}. */
    public static QueueConfig fifo(String name) {
        return of(name, QueueType.FIFO);
    }

    /** A PRIORITY queue with the defaults. */
    public static QueueConfig priority(String name) {
        return of(name, QueueType.PRIORITY);
    }

    private static QueueConfig of(String name, QueueType type) {
        Message.requireQueueName(name);
        String dlq = name.length() + DEAD_LETTER_SUFFIX.length() <= 255 && !name.endsWith(DEAD_LETTER_SUFFIX)
                ? name + DEAD_LETTER_SUFFIX : "";
        return new QueueConfig(name, type, DEFAULT_CAPACITY, DEFAULT_VISIBILITY_TIMEOUT, DEFAULT_MAX_RECEIVES, dlq,
                DEFAULT_DEDUP_WINDOW, Duration.ZERO, Duration.ZERO);
    }

    public QueueConfig withCapacity(int messages) {
        return new QueueConfig(name, type, messages, visibilityTimeout, maxReceives, deadLetterQueue, dedupWindow,
                defaultDelay, messageTtl);
    }

    public QueueConfig withVisibilityTimeout(Duration timeout) {
        return new QueueConfig(name, type, capacity, timeout, maxReceives, deadLetterQueue, dedupWindow, defaultDelay,
                messageTtl);
    }

    public QueueConfig withMaxReceives(int receives) {
        return new QueueConfig(name, type, capacity, visibilityTimeout, receives, deadLetterQueue, dedupWindow,
                defaultDelay, messageTtl);
    }

    /** With dead-letter queue {@code queue}; empty to drop dead letters. */
    public QueueConfig withDeadLetterQueue(String queue) {
        return new QueueConfig(name, type, capacity, visibilityTimeout, maxReceives, queue, dedupWindow, defaultDelay,
                messageTtl);
    }

    public QueueConfig withDedupWindow(Duration window) {
        return new QueueConfig(name, type, capacity, visibilityTimeout, maxReceives, deadLetterQueue, window,
                defaultDelay, messageTtl);
    }

    public QueueConfig withDefaultDelay(Duration delay) {
        return new QueueConfig(name, type, capacity, visibilityTimeout, maxReceives, deadLetterQueue, dedupWindow,
                delay, messageTtl);
    }

    public QueueConfig withMessageTtl(Duration ttl) {
        return new QueueConfig(name, type, capacity, visibilityTimeout, maxReceives, deadLetterQueue, dedupWindow,
                defaultDelay, ttl);
    }
}
