package io.mpreg.bench;

import io.mpreg.api.NodeId;
import io.mpreg.federation.internal.link.LinkGuard;
import io.mpreg.federation.internal.wire.LinkHeader;
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

import java.util.concurrent.TimeUnit;

/**
 * The replay guard on every frame: drawing the header of the next frame to a peer (sender side) and checking an
 * in-order frame from a peer against its sliding window (receiver side), as {@code NodeCore} does per frame.
 *
 * <p>Run: {@code java -jar mpreg-bench/target/benchmarks.jar LinkGuardBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LinkGuardBenchmark {
    private static final NodeId A = NodeId.of("c1", "gw");
    private static final NodeId B = NodeId.of("c2", "gw");
    private final LinkGuard sender = new LinkGuard(0x5eed_0001L);
    private final LinkGuard receiver = new LinkGuard(0x5eed_0002L);

    @Setup
    public void greet() {
        if (receiver.check(A, sender.next(B, true), true) != LinkGuard.Check.ACCEPTED
                || sender.check(B, receiver.next(A, true), true) != LinkGuard.Check.ACCEPTED) {
            throw new IllegalStateException("the guards did not greet each other");
        }
    }

    @Benchmark
    public LinkHeader nextHeader() {
        return sender.next(B, false);
    }

    @Benchmark
    public LinkGuard.Check sendAndCheck() {
        return receiver.check(A, sender.next(B, false), false);
    }
}
