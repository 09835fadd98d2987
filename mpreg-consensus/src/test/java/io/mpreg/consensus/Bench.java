package io.mpreg.consensus;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.RoundId;
import io.mpreg.api.Threshold;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;
import io.mpreg.api.spi.weighting.WeightingStrategy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** A test bench: an engine on a manual ticker that records its decisions. */
final class Bench {
    static final ClusterId COORDINATOR = ClusterId.of("coord");
    static final Digest DIGEST = Digest.sha256("the message".getBytes(StandardCharsets.UTF_8));
    static final Digest OTHER = Digest.sha256("another message".getBytes(StandardCharsets.UTF_8));
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    long now = 1_000_000_000L;
    final List<Decision> decisions = new ArrayList<>();
    final ConsensusEngine engine;
    private long nextSequence;

    Bench() {
        this(null);
    }

    Bench(WeightingStrategy weighting) {
        ConsensusEngine.Builder b = ConsensusEngine.builder().ticker(() -> now).listener(decisions::add);
        if (weighting != null) {
            b.weighting(weighting);
        }
        engine = b.build();
    }

    static ClusterId c(String id) {
        return ClusterId.of(id);
    }

    static WeightTable weights(Object... clusterAndWeight) {
        Map<ClusterId, Long> map = new TreeMap<>();
        for (int i = 0; i < clusterAndWeight.length; i += 2) {
            map.put(c((String) clusterAndWeight[i]), ((Number) clusterAndWeight[i + 1]).longValue());
        }
        return WeightTable.of(1, map);
    }

    static WeightTable equal(String... clusters) {
        return WeightTable.equal(Arrays.stream(clusters).map(ClusterId::of).toArray(ClusterId[]::new));
    }

    RoundId open(WeightTable table, QuorumPolicy policy, String... targets) {
        RoundId id = new RoundId(COORDINATOR, nextSequence++);
        TreeSet<ClusterId> set = new TreeSet<>();
        for (String t : targets) {
            set.add(c(t));
        }
        engine.open(RoundSpec.of(id, DIGEST, set, table, policy, TIMEOUT));
        return id;
    }

    RoundId open(WeightTable table, String... targets) {
        return open(table, QuorumPolicy.fraction(Threshold.TWO_THIRDS), targets);
    }

    /** A round over every cluster of the table, threshold 2/3. */
    RoundId open(WeightTable table) {
        return open(table, table.asMap().keySet().stream().map(ClusterId::value).toArray(String[]::new));
    }

    VoteEffect vote(RoundId round, String voter, Verdict verdict) {
        return engine.onVote(new Vote(round, c(voter), verdict, DIGEST));
    }

    VoteEffect yes(RoundId round, String voter) {
        return vote(round, voter, Verdict.YES);
    }

    VoteEffect no(RoundId round, String voter) {
        return engine.onVote(new Vote(round, c(voter), Verdict.NO, DIGEST, "queue orders does not exist"));
    }

    Decision only() {
        if (decisions.size() != 1) {
            throw new AssertionError("expected exactly one decision, got " + decisions);
        }
        return decisions.get(0);
    }

    Decision last() {
        return decisions.get(decisions.size() - 1);
    }

    void advance(Duration d) {
        now += d.toNanos();
    }
}
