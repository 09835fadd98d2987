package io.mpreg.bench;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.Digest;
import io.mpreg.api.Message;
import io.mpreg.api.MessageId;
import io.mpreg.api.RoundId;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;
import io.mpreg.federation.internal.wire.LinkHeader;
import io.mpreg.federation.internal.wire.WireCodec;
import io.mpreg.federation.internal.wire.WireMessage;
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

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The wire codec on the voted path: encoding and decoding a PREPARE (a 64-byte message with one header, a digest, the
 * weight table's version and hash) and a VOTE, as the federation frames them ({@code 'M' 'F'}, version, type, 24-byte
 * link header, body), and batch frames of 32 of each (sealed votes, as a target signs them together). Time per
 * operation and, with {@code -prof gc}, bytes allocated per operation.
 *
 * <p>Run: {@code java -jar mpreg-bench/target/benchmarks.jar CodecBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CodecBenchmark {
    private final WireCodec codec = new WireCodec(4 << 20);
    private final LinkHeader link = new LinkHeader(0x5eed_0001L, 0x5eed_0002L, 1_000_000);
    private WireMessage.Prepare prepare;
    private WireMessage.VoteFrame vote;
    private byte[] prepareFrame;
    private byte[] voteFrame;
    /** 32 votes of one batch (sealed under one signature) and 32 PREPAREs: what one batch frame carries. */
    private List<WireMessage> votes;
    private List<WireMessage> prepares;

    @Setup
    public void setup() {
        ClusterId c1 = ClusterId.of("c1");
        ClusterId c2 = ClusterId.of("c2");
        Message m = Message.builder("orders").id(new MessageId(0x1234_5678_9abc_def0L, 42)).payload(new byte[64])
                .header("trace", "abc123").build();
        RoundId round = new RoundId(c1, 7_000_001);
        Digest digest = Digest.sha256(m.payload());
        io.mpreg.api.RoundTerms terms = new io.mpreg.api.RoundTerms(3, Digest.sha256(new byte[] {1, 2, 3}),
                DeliveryGuarantee.GLOBAL_QUORUM, io.mpreg.api.Threshold.TWO_THIRDS, 0,
                new java.util.TreeMap<>(Map.of(c1, 1L, c2, 1L, ClusterId.of("c3"), 1L)));
        prepare = new WireMessage.Prepare(round, c2, m, terms.proposal(digest), terms, 30_000, List.of(c1));
        // signed, as in a secure federation: 64 signature bytes on the wire
        vote = WireMessage.VoteFrame.of(io.mpreg.api.SignedVote.sign("bench", 3, new Vote(round, c2, Verdict.YES,
                digest, ""), io.mpreg.api.VoteKeys.generate().getPrivate()), List.of(c2));
        java.security.PrivateKey key = io.mpreg.api.VoteKeys.generate().getPrivate();
        List<io.mpreg.api.SignedVote> unsigned = new java.util.ArrayList<>();
        prepares = new java.util.ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            RoundId r = new RoundId(c1, 7_000_100 + i);
            unsigned.add(io.mpreg.api.SignedVote.unsigned("bench", 3, new Vote(r, c2, Verdict.YES, digest, "")));
            prepares.add(new WireMessage.Prepare(r, c2, m, terms.proposal(digest), terms, 30_000, List.of(c1)));
        }
        votes = io.mpreg.api.SignedVote.signBatch(unsigned, key).stream()
                .map(v -> (WireMessage) WireMessage.VoteFrame.of(v, List.of(c2))).toList();
        prepareFrame = codec.encode(link, prepare);
        voteFrame = codec.encode(link, vote);
        if (!codec.decode(ByteBuffer.wrap(prepareFrame)).message().equals(prepare)
                || !codec.decode(ByteBuffer.wrap(voteFrame)).message().equals(vote)) {
            throw new IllegalStateException("the frames do not round-trip: " + Map.of("prepare", prepare));
        }
    }

    @Benchmark
    public byte[] encodePrepare() {
        return codec.encode(link, prepare);
    }

    @Benchmark
    public WireMessage decodePrepare() {
        return codec.decode(ByteBuffer.wrap(prepareFrame)).message();
    }

    @Benchmark
    public byte[] encodeVote() {
        return codec.encode(link, vote);
    }

    @Benchmark
    public WireMessage decodeVote() {
        return codec.decode(ByteBuffer.wrap(voteFrame)).message();
    }

    /** Votes per batch in the batch benchmarks. */
    static final int BATCH = 32;

    /** One batch frame of 32 sealed VOTEs encoded and decoded (divide by 32 for a vote's share). */
    @Benchmark
    public WireMessage voteBatchRoundTrip() {
        return codec.decode(ByteBuffer.wrap(codec.encodeBatch(link, votes, 0).frame())).message();
    }

    /** One batch frame of 32 PREPAREs encoded and decoded (divide by 32 for a PREPARE's share). */
    @Benchmark
    public WireMessage prepareBatchRoundTrip() {
        return codec.decode(ByteBuffer.wrap(codec.encodeBatch(link, prepares, 0).frame())).message();
    }
}
