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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The cost of one vote recorded and checked (round lookup, equivocation check, tally, quorum check) with 5 voting
 * clusters. A round fills after 5 votes, so each invocation opens a round of 6 targets at threshold 1/1 (the 6th
 * never votes, so the round never decides), counts 5 votes and cancels it; {@code openCancel} does the same without
 * the votes. Per vote = ({@code openFiveVotesCancel} - {@code openCancel}) / 5, in time and in bytes.
 *
 * <p>Run: {@code java -jar mpreg-bench/target/benchmarks.jar VoteBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class VoteBenchmark {
    private RoundFixture fixture;
    private ConsensusEngine engine;

    @Setup
    public void setup() {
        fixture = new RoundFixture(5, 1, Threshold.ALL, false);
        engine = RoundFixture.engine(false);
    }

    @Benchmark
    public boolean openCancel() {
        int r = fixture.nextRound();
        engine.open(fixture.specs[r]);
        return engine.cancel(fixture.specs[r].id());
    }

    @Benchmark
    public boolean openFiveVotesCancel(Blackhole bh) {
        int r = fixture.nextRound();
        engine.open(fixture.specs[r]);
        Vote[] votes = fixture.votes[r];
        for (Vote vote : votes) {
            bh.consume(engine.onVote(vote));
        }
        return engine.cancel(fixture.specs[r].id());
    }
}
