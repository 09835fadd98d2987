package io.mpreg.bench;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.RoundId;
import io.mpreg.api.SignedVote;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;
import io.mpreg.api.VoteKeys;
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

import java.security.KeyPair;
import java.util.concurrent.TimeUnit;

/**
 * What a signed vote costs: signing one (a target, once per vote it casts) and verifying one (the coordinator, once
 * per vote it receives, on the transport's thread), with the JDK's own Ed25519, and the canonical bytes alone.
 *
 * <p>Run: {@code java -jar mpreg-bench/target/benchmarks.jar VoteSigningBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VoteSigningBenchmark {
    private KeyPair keys;
    private Vote vote;
    private SignedVote signed;

    @Setup
    public void setup() {
        keys = VoteKeys.generate();
        vote = new Vote(new RoundId(ClusterId.of("c1"), 7_000_001), ClusterId.of("c2"), Verdict.YES,
                Digest.sha256(new byte[64]), "");
        signed = SignedVote.sign("bench", 3, vote, keys.getPrivate());
    }

    @Benchmark
    public SignedVote sign() {
        return SignedVote.sign("bench", 3, vote, keys.getPrivate());
    }

    @Benchmark
    public boolean verify() {
        return signed.verify(keys.getPublic());
    }

    @Benchmark
    public byte[] canonicalBytes() {
        return signed.canonicalBytes();
    }
}
