package io.mpreg.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A reference operation no MPREG change can speed up or slow down: copy and sort 256 random ints. The
 * {@link RegressionGuard} measures the hot path against it, so a slow or busy machine cancels out of the ratio.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReferenceBenchmark {
    private int[] values;

    @Setup
    public void setup() {
        values = new SplittableRandom(11).ints(256).toArray();
    }

    @Benchmark
    public int[] sortCopy() {
        int[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
