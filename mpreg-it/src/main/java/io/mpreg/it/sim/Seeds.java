package io.mpreg.it.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs many seeds: each {@link SimRun} is single-threaded and shares nothing, so seeds run side by side on
 * {@code threads} threads without changing any run. The result keeps every failing run (with its replay command).
 *
 * @since 0.3.0
 */
public final class Seeds {
    private Seeds() {
    }

    /**
     * The outcome of a batch: how many ran, in liveness mode and with a malicious member, which failed, how long it
     * took (wall clock).
     */
    public record Batch(int runs, int liveness, int malicious, long events, long sends, long succeeded,
                        long delivered, List<RunResult> failed, long wallMillis) {
        public double runsPerMinute() {
            return runs * 60_000.0 / Math.max(1, wallMillis);
        }
    }

    /** The one-line command that replays {@code seed} (from the repository root). */
    public static String replayCommand(long seed) {
        return "mvn -q -B -ntp -DskipTests package -pl mpreg-it -am && java -cp \"mpreg-it/target/classes:"
                + "$(cat mpreg-it/target/sim-classpath.txt)\" io.mpreg.it.sim.SimMain --seed " + seed;
    }

    /** Runs seeds {@code from} to {@code from + count - 1}. */
    public static Batch run(long from, int count, int threads) {
        if (count < 0 || threads < 1) {
            throw new IllegalArgumentException("need count >= 0 and threads >= 1, got " + count + ", " + threads);
        }
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "mpreg-sim");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<RunResult>> futures = new ArrayList<>();
            for (long s = from; s < from + count; s++) {
                long seed = s;
                futures.add(pool.submit(() -> SimRun.run(seed)));
            }
            List<RunResult> failed = new ArrayList<>();
            int liveness = 0;
            int malicious = 0;
            long events = 0;
            long sends = 0;
            long succeeded = 0;
            long delivered = 0;
            for (Future<RunResult> f : futures) {
                RunResult r = f.get();
                liveness += r.liveness() ? 1 : 0;
                malicious += r.shape().contains(SimRun.MALICIOUS) ? 1 : 0;
                events += r.events();
                sends += r.operations();
                succeeded += r.succeeded();
                delivered += r.delivered();
                if (!r.passed()) {
                    failed.add(r);
                }
            }
            return new Batch(count, liveness, malicious, events, sends, succeeded, delivered, failed,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running seeds", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a simulated run crashed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
