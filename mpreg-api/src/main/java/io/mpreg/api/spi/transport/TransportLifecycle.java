package io.mpreg.api.spi.transport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lifecycle checks every {@link Transport} makes, with the contract's exceptions and messages, for plugin authors
 * to reuse: new, then started once, then closed for good. Thread-safe.
 *
 * @since 0.1.0
 */
public final class TransportLifecycle {
    private static final int NEW = 0;
    private static final int STARTED = 1;
    private static final int CLOSED = 2;

    private final String description;
    private final AtomicInteger state = new AtomicInteger(NEW);

    /** @param description names the transport in messages, for example {@code "tcp transport of a/gw"} */
    public TransportLifecycle(String description) {
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("a transport lifecycle needs a description, got " + description);
        }
        this.description = description;
    }

    /**
     * Marks the transport started.
     *
     * @throws IllegalArgumentException if {@code receiver} is null
     * @throws IllegalStateException    if it was already started or closed
     */
    public void start(FrameReceiver receiver) {
        if (receiver == null) {
            throw new IllegalArgumentException(description + " needs a receiver, got null");
        }
        if (!state.compareAndSet(NEW, STARTED)) {
            throw new IllegalStateException(description + " was already "
                    + (state.get() == STARTED ? "started" : "closed"));
        }
    }

    /**
     * Checks a frame before {@link Transport#send} queues it.
     *
     * @throws IllegalStateException  if the transport is not started or already closed
     * @throws FrameTooLargeException if the frame is null, empty or longer than {@code maxFrameBytes}
     */
    public void checkSend(byte[] frame, int maxFrameBytes) {
        int s = state.get();
        if (s != STARTED) {
            throw new IllegalStateException(description + " is " + (s == NEW ? "not started" : "closed"));
        }
        if (frame == null || frame.length == 0 || frame.length > maxFrameBytes) {
            throw new FrameTooLargeException(frame == null ? 0 : frame.length, maxFrameBytes);
        }
    }

    /** Marks the transport closed; true only for the first call, so {@code close()} can be idempotent. */
    public boolean close() {
        return state.getAndSet(CLOSED) != CLOSED;
    }

    /** Whether {@link #start} succeeded and {@link #close} has not been called. */
    public boolean isRunning() {
        return state.get() == STARTED;
    }

    /** Whether the transport was neither started nor closed yet. */
    public boolean isNew() {
        return state.get() == NEW;
    }
}
