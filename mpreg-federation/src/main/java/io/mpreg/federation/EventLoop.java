package io.mpreg.federation;

/**
 * The single thread that owns a node's protocol state. Everything that touches that state (inbound frames, peer
 * events, timers, API calls) runs as a task here, one at a time, so the protocol code needs no locks. Time comes
 * only from {@link #nanoTime()}, so a simulator can drive the same code with a virtual clock.
 *
 * <p>A node normally runs on its own thread-backed loop. {@link FederationNodeBuilder#eventLoop} gives it another
 * implementation instead, for example one whose tasks a deterministic simulator runs on a virtual clock (see the
 * integration module's {@code io.mpreg.it.sim}). An implementation must run tasks one at a time, in the order of
 * {@link #execute} calls, and timers in order of due time (ties in order of scheduling); {@link #inLoop()} must be
 * true exactly while one of its tasks runs, because the node runs its blocking calls inline then instead of
 * waiting for the loop.
 *
 * @since 0.3.0
 */
public interface EventLoop {

    /** The loop's clock, in nanoseconds (an arbitrary origin; differences only). */
    long nanoTime();

    /** Runs {@code task} on the loop soon, after the tasks already queued. Thread-safe. */
    void execute(Runnable task);

    /** Runs {@code task} on the loop once {@code delayNanos} have passed on its clock. Thread-safe. */
    Timer schedule(long delayNanos, Runnable task);

    /** Whether the caller is the loop's own thread. */
    boolean inLoop();

    /** Stops the loop: queued tasks and timers are dropped; waits for the running task to end. Idempotent. */
    void close();

    /** A scheduled task. */
    interface Timer {
        /** Keeps the task from running if it has not started yet. */
        void cancel();
    }
}
