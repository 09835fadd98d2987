package io.mpreg.federation.internal;

import io.mpreg.consensus.Ticker;
import io.mpreg.federation.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The production {@link EventLoop}: one daemon thread, a FIFO of tasks and a timer heap ordered by (due time,
 * sequence), waiting on a condition until the next timer is due by the injected ticker. A task that throws is
 * logged and the loop goes on.
 */
public final class ThreadEventLoop implements EventLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadEventLoop.class);

    private final Ticker ticker;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final PriorityQueue<ScheduledTask> timers = new PriorityQueue<>();
    private final Thread thread;
    private long sequence;
    private int cancelledTimers;
    private boolean closed;

    public ThreadEventLoop(String name, Ticker ticker) {
        this.ticker = ticker;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public long nanoTime() {
        return ticker.nanos();
    }

    @Override
    public void execute(Runnable task) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            tasks.addLast(task);
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Timer schedule(long delayNanos, Runnable task) {
        lock.lock();
        try {
            ScheduledTask t = new ScheduledTask(this, ticker.nanos() + Math.max(0, delayNanos), sequence++, task);
            if (!closed) {
                timers.add(t);
                wake.signal();
            }
            return t;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            tasks.clear();
            timers.clear();
            wake.signal();
        } finally {
            lock.unlock();
        }
        if (!inLoop()) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (true) {
            Runnable next;
            lock.lock();
            try {
                next = null;
                while (next == null) {
                    if (closed) {
                        return;
                    }
                    ScheduledTask due = timers.peek();
                    long now = ticker.nanos();
                    if (due != null && due.at - now <= 0) {
                        timers.poll();
                        if (!due.cancelled) {
                            next = due.task;
                        }
                    } else if (!tasks.isEmpty()) {
                        next = tasks.pollFirst();
                    } else if (due != null) {
                        wake.awaitNanos(due.at - now);
                    } else {
                        wake.await();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                next.run();
            } catch (RuntimeException | AssertionError e) {
                LOG.error("{}: task failed; the loop goes on", thread.getName(), e);
            }
        }
    }

    /**
     * Marks a timer cancelled; once cancelled timers are most of the heap (and many), they are purged, so a loop that
     * cancels most of its timers (acknowledged messages' deadlines) does not keep them until they fall due.
     */
    private void cancelled(ScheduledTask t) {
        lock.lock();
        try {
            if (t.cancelled) {
                return;
            }
            t.cancelled = true;
            if (++cancelledTimers > 4096 && cancelledTimers * 2 > timers.size()) {
                timers.removeIf(x -> x.cancelled);
                cancelledTimers = 0;
            }
        } finally {
            lock.unlock();
        }
    }

    private static final class ScheduledTask implements Timer, Comparable<ScheduledTask> {
        final ThreadEventLoop loop;
        final long at;
        final long seq;
        final Runnable task;
        volatile boolean cancelled;

        ScheduledTask(ThreadEventLoop loop, long at, long seq, Runnable task) {
            this.loop = loop;
            this.at = at;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public void cancel() {
            loop.cancelled(this);
        }

        @Override
        public int compareTo(ScheduledTask o) {
            int c = Long.compare(at - o.at, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
