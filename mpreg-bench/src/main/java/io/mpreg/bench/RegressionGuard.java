package io.mpreg.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.Locale;

/**
 * A performance regression guard that cannot flake on a noisy machine: a short JMH run of the consensus hot path (one
 * round opened, five votes counted, cancelled: {@code VoteBenchmark.openFiveVotesCancel}), of the batched wire path
 * (a batch frame of 32 sealed votes encoded and decoded: {@code CodecBenchmark.voteBatchRoundTrip}) and of a reference
 * operation that MPREG's code cannot change ({@code ReferenceBenchmark.sortCopy}: copying and sorting 256 ints), in
 * the same JVM, one after the other. Their ratio is compared with the ratio recorded here; only a gross regression
 * (more than {@link #TOLERANCE} times the recorded ratio) fails. A noisy machine slows both alike.
 *
 * <pre>
 * java -cp mpreg-bench/target/benchmarks.jar io.mpreg.bench.RegressionGuard [recordedRatio]
 * </pre>
 * (An explicit recorded ratio, say 0.05, shows the failing path: both recorded ratios are scaled by it over the
 * recorded hot-path ratio.)
 * Exit code 0 within the tolerance, 1 on a gross regression.
 */
public final class RegressionGuard {
    /**
     * hot path / reference, as measured on the development machine (2 cores, JDK 17, 2026-11-25): openFiveVotesCancel
     * 494 ns and sortCopy 2,566 ns, ratio 0.192 (a second run: see docs/BENCHMARKS.md). Update it, with the numbers,
     * when the hot path legitimately changes.
     */
    static final double RECORDED_RATIO = 0.19;
    static final double TOLERANCE = 3.0;

    private RegressionGuard() {
    }

    /**
     * batched path / reference: a batch frame of 32 sealed VOTEs encoded and decoded
     * ({@code CodecBenchmark.voteBatchRoundTrip}) against the same reference, measured as above on 2026-12-03:
     * 13,363 ns and 2,468 ns, ratio 5.41.
     */
    static final double RECORDED_BATCH_RATIO = 5.4;

    public static void main(String[] args) throws Exception {
        double hot = measure(VoteBenchmark.class.getName() + ".openFiveVotesCancel");
        double batch = measure(CodecBenchmark.class.getName() + ".voteBatchRoundTrip");
        double reference = measure(ReferenceBenchmark.class.getName() + ".sortCopy");
        double scale = args.length > 0 ? Double.parseDouble(args[0]) / RECORDED_RATIO : 1; // to try the failing path
        boolean ok = check("hot path", hot, reference, RECORDED_RATIO * scale)
                & check("batched path", batch, reference, RECORDED_BATCH_RATIO * scale);
        System.exit(ok ? 0 : 1);
    }

    private static boolean check(String what, double measured, double reference, double recorded) {
        double ratio = measured / reference;
        boolean ok = ratio <= recorded * TOLERANCE;
        System.out.printf(Locale.ROOT, "regression guard: %s %.1f ns, reference %.1f ns, ratio %.3f (recorded "
                        + "%.3f, fails above %.3f): %s%n", what, measured, reference, ratio, recorded,
                recorded * TOLERANCE, ok ? "OK" : "GROSS REGRESSION");
        return ok;
    }

    private static double measure(String benchmark) throws Exception {
        Options options = new OptionsBuilder().include("^" + benchmark.replace(".", "\\.") + "$").forks(1)
                .warmupIterations(3).warmupTime(TimeValue.milliseconds(500)).measurementIterations(5)
                .measurementTime(TimeValue.milliseconds(500)).jvmArgsAppend("-Xms256m", "-Xmx256m")
                .shouldFailOnError(true).build();
        Collection<RunResult> results = new Runner(options).run();
        if (results.size() != 1) {
            throw new IllegalStateException("expected one result for " + benchmark + ", got " + results.size());
        }
        return results.iterator().next().getPrimaryResult().getScore();
    }
}
