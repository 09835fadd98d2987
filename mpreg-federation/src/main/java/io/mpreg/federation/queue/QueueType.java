package io.mpreg.federation.queue;

/**
 * How a queue orders its visible messages. Every queue honours a message's own delay (and the queue's default
 * delay): a message is invisible until its delay has passed, so a "delay queue" is a queue with a default delay.
 *
 * @since 0.1.0
 */
public enum QueueType {
    /** First in, first out, by the order messages were accepted; a redelivered message keeps its place. */
    FIFO,
    /** Highest {@link io.mpreg.api.Message#priority() priority} first; equal priorities first in, first out. */
    PRIORITY
}
