package io.mpreg.bench;

import io.mpreg.api.Threshold;
import io.mpreg.api.Vote;
import io.mpreg.consensus.ConsensusEngine;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * A whole round: open (weights snapshotted through the weighting strategy, quorum computed, detectors started),
 * every target votes yes until the 2/3 quorum commits, the decision is built and handed to the listener.
 * {@code withEquivocator}: the first voter sends yes then no (detected, excluded with evidence) before the
 * others vote; the round still commits on honest weight. Static weights, so the equivocator keeps its weight in
 * the next round and every round does the same work.
 *
 * <p>Run: {@code java -jar mpreg-bench/target/benchmarks.jar RoundBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RoundBenchmark {
    @Param({"5", "25", "100"})
    public int clusters;

    private RoundFixture honest;
    private RoundFixture twin;
    private ConsensusEngine engine;

    @Setup
    public void setup() {
        honest = new RoundFixture(clusters, 0, Threshold.TWO_THIRDS, false);
        twin = new RoundFixture(clusters, 0, Threshold.TWO_THIRDS, true);
        engine = RoundFixture.engine(true);
    }

    private static int run(ConsensusEngine engine, RoundFixture fixture, Blackhole bh) {
        int r = fixture.nextRound();
        engine.open(fixture.specs[r]);
        int counted = 0;
        for (Vote vote : fixture.votes[r]) {
            bh.consume(engine.onVote(vote));
            counted++;
            if (!engine.isOpen(fixture.specs[r].id())) {
                break;
            }
        }
        return counted;
    }

    @Benchmark
    public int honestRound(Blackhole bh) {
        return run(engine, honest, bh);
    }

    @Benchmark
    public int withEquivocator(Blackhole bh) {
        return run(engine, twin, bh);
    }
}
