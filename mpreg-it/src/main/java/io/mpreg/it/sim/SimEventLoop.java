package io.mpreg.it.sim;

import io.mpreg.federation.EventLoop;

import java.util.ArrayDeque;
import java.util.List;

/**
 * A node's event loop inside a {@link Simulation}: its tasks and timers are the simulation's events, its clock is the
 * virtual clock. A paused loop (a stop-the-world pause, a stalled VM) runs nothing until the pause ends, then runs
 * what waited in order. Tasks that throw are collected, not swallowed: a simulation checks there were none.
 *
 * @since 0.3.0
 */
public final class SimEventLoop implements EventLoop {
    private final Simulation sim;
    private final String actor;
    private final List<String> failures;
    private final ArrayDeque<Task> ready = new ArrayDeque<>();
    private long pausedUntil;
    private boolean drainScheduled;
    private boolean closed;

    /** A task, with the flag a cancelled timer sets. */
    private static final class Task {
        final Runnable body;
        boolean cancelled;

        Task(Runnable body) {
            this.body = body;
        }
    }

    /** A loop named {@code actor}; tasks that throw are described in {@code failures}. */
    public SimEventLoop(Simulation sim, String actor, List<String> failures) {
        this.sim = sim;
        this.actor = actor;
        this.failures = failures;
    }

    @Override
    public long nanoTime() {
        return sim.now();
    }

    @Override
    public void execute(Runnable task) {
        if (!closed) {
            ready.addLast(new Task(task));
            drainSoon();
        }
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        Task t = new Task(task);
        Simulation.Event e = sim.after(Math.max(0, delayNanos), actor, () -> {
            if (!closed && !t.cancelled) {
                ready.addLast(t); // a due timer queues behind the tasks already waiting, as on a real loop
                drainSoon();
            }
        });
        if (closed) {
            e.cancel();
        }
        return () -> {
            t.cancelled = true;
            e.cancel();
        };
    }

    private void drainSoon() {
        if (!drainScheduled) {
            drainScheduled = true;
            sim.after(Math.max(0, pausedUntil - sim.now()), actor, this::drain);
        }
    }

    /** Runs one task (so other nodes' events at the same instant interleave), then comes back for the next. */
    private void drain() {
        drainScheduled = false;
        if (closed) {
            ready.clear();
            return;
        }
        if (sim.now() < pausedUntil) {
            drainSoon(); // the pause grew while this waited
            return;
        }
        Task t = ready.pollFirst();
        if (t != null && !t.cancelled) {
            try {
                t.body.run();
            } catch (RuntimeException | AssertionError e) {
                failures.add(actor + " at " + sim.now() / 1_000_000 + " ms: " + e);
            }
        }
        if (!ready.isEmpty()) {
            drainSoon();
        }
    }

    /** Runs nothing for {@code nanos} of virtual time from now; what arrives meanwhile waits, in order. */
    public void pause(long nanos) {
        pausedUntil = Math.max(pausedUntil, sim.now() + nanos);
    }

    @Override
    public boolean inLoop() {
        return sim.inEvent();
    }

    @Override
    public void close() {
        closed = true;
        ready.clear();
    }
}
