package io.mpreg.it.sim;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * The simulated world's clock and scheduler: one thread, one priority queue of events ordered by (virtual time,
 * sequence), one seeded random source for every choice. Nothing here reads the real clock, so the same seed gives
 * the same run, event for event; {@link #traceHash()} fingerprints what happened (every event run and whatever
 * {@link #record} was told), so two runs can be compared by one number.
 *
 * <p>Not thread-safe: everything in a simulation runs on the thread that calls {@link #step()}.
 *
 * @since 0.3.0
 */
public final class Simulation {
    /** A scheduled event; {@link #cancel()} keeps it from running. */
    public static final class Event implements Comparable<Event> {
        private final long time;
        private final long sequence;
        private final String actor;
        private final Runnable action;
        private boolean cancelled;

        private Event(long time, long sequence, String actor, Runnable action) {
            this.time = time;
            this.sequence = sequence;
            this.actor = actor;
            this.action = action;
        }

        public void cancel() {
            cancelled = true;
        }

        public long time() {
            return time;
        }

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final SplittableRandom random;
    private final long seed;
    private long now;
    private long sequence;
    private long trace = 0xcbf29ce484222325L;
    private long stepped;
    private boolean inEvent;

    public Simulation(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    /** Virtual nanoseconds since the start of the run. */
    public long now() {
        return now;
    }

    /** The run's one source of randomness. */
    public SplittableRandom random() {
        return random;
    }

    /** Whether an event is running now (everything a simulation runs, runs inside an event). */
    public boolean inEvent() {
        return inEvent;
    }

    /** Events run so far. */
    public long steps() {
        return stepped;
    }

    /** Runs {@code action} as {@code actor} once {@code delayNanos} of virtual time have passed. */
    public Event after(long delayNanos, String actor, Runnable action) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("delay must be >= 0, got " + delayNanos);
        }
        Event e = new Event(now + delayNanos, sequence++, actor, action);
        events.add(e);
        return e;
    }

    /** Runs the next event, advancing the clock to its time; false if nothing is left to run. */
    public boolean step() {
        Event e;
        do {
            e = events.poll();
            if (e == null) {
                return false;
            }
        } while (e.cancelled);
        now = e.time;
        stepped++;
        mix(e.time);
        mix(e.actor.hashCode());
        inEvent = true;
        try {
            e.action.run();
        } finally {
            inEvent = false;
        }
        return true;
    }

    /** Runs events until the clock would pass {@code time}, then sets the clock to {@code time}. */
    public void runUntil(long time) {
        while (!events.isEmpty()) {
            Event next = events.peek();
            if (next.cancelled) {
                events.poll();
                continue;
            }
            if (next.time > time) {
                break;
            }
            step();
        }
        now = Math.max(now, time);
    }

    /** Runs events until {@code done} holds (checked after each event) or the clock passes {@code deadline}. */
    public boolean runUntil(long deadline, BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            Event next = events.peek();
            while (next != null && next.cancelled) {
                events.poll();
                next = events.peek();
            }
            if (next == null || next.time > deadline) {
                now = Math.max(now, deadline);
                return done.getAsBoolean();
            }
            step();
        }
        return true;
    }

    /** Adds {@code what} to the trace fingerprint. */
    public void record(long what) {
        mix(what);
    }

    /** A fingerprint of everything that ran and was recorded, in order. */
    public long traceHash() {
        return trace;
    }

    private void mix(long x) {
        long h = trace ^ x;
        h *= 0x100000001b3L;
        h ^= h >>> 29;
        h *= 0xbf58476d1ce4e5b9L;
        trace = h ^ (h >>> 32);
    }

    /** Milliseconds as virtual nanoseconds. */
    public static long millis(long ms) {
        return ms * 1_000_000L;
    }
}
