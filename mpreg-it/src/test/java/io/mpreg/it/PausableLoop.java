package io.mpreg.it;

import io.mpreg.federation.EventLoop;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event loop a test can stop and start again, as a node that falls behind (a long pause, an overloaded host):
 * one thread runs tasks in order and timers by due time; while {@link #pause paused} it runs nothing, and
 * {@link #waiting} tells how many tasks queue behind.
 */
final class PausableLoop implements EventLoop {
    private final ScheduledThreadPoolExecutor executor;
    private final Object gate = new Object();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile Thread thread;
    private boolean paused;

    PausableLoop(String name) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
    }

    void pause() {
        synchronized (gate) {
            paused = true;
        }
    }

    void resume() {
        synchronized (gate) {
            paused = false;
            gate.notifyAll();
        }
    }

    /** Tasks queued and not yet run. */
    int waiting() {
        return waiting.get();
    }

    private Runnable gated(Runnable task) {
        waiting.incrementAndGet();
        return () -> {
            synchronized (gate) {
                while (paused) {
                    try {
                        gate.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            waiting.decrementAndGet();
            task.run();
        };
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void execute(Runnable task) {
        if (!executor.isShutdown()) {
            executor.execute(gated(task));
        }
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        if (executor.isShutdown()) {
            return () -> { };
        }
        ScheduledFuture<?> f = executor.schedule(gated(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void close() {
        resume();
        executor.shutdownNow();
    }
}
