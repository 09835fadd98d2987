package io.mpreg.bench;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.RoundId;
import io.mpreg.api.Threshold;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;
import io.mpreg.consensus.ConsensusEngine;
import io.mpreg.consensus.QuorumPolicy;
import io.mpreg.consensus.RoundSpec;
import io.mpreg.consensus.VoterSet;
import io.mpreg.consensus.WeightTable;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Precomputed rounds for the consensus benchmarks: a ring of round specs and their votes, so a benchmark
 * iteration allocates only what the engine itself allocates. Round ids cycle through the ring; the engine
 * remembers fewer decided rounds than the ring holds, so an id is free again when it comes round.
 */
final class RoundFixture {
    static final int RING = 4096;
    static final Digest DIGEST = Digest.sha256("benchmark message".getBytes(StandardCharsets.UTF_8));

    final ClusterId[] clusters;
    final RoundSpec[] specs = new RoundSpec[RING];
    /** votes[round][k]: the k-th vote of the round, in sending order. */
    final Vote[][] votes = new Vote[RING][];
    private int next;

    /**
     * @param voting     clusters that vote yes, in order
     * @param silent     extra targets that never vote (keep a round open)
     * @param threshold  the round's threshold
     * @param equivocate whether the first voter sends yes then no before the others vote
     */
    RoundFixture(int voting, int silent, Threshold threshold, boolean equivocate) {
        clusters = new ClusterId[voting + silent];
        for (int i = 0; i < clusters.length; i++) {
            clusters[i] = ClusterId.of(String.format("cluster-%03d", i));
        }
        WeightTable table = WeightTable.equal(clusters);
        VoterSet targets = VoterSet.of(clusters);
        ClusterId coordinator = ClusterId.of("coordinator");
        for (int r = 0; r < RING; r++) {
            RoundId id = new RoundId(coordinator, r);
            specs[r] = new RoundSpec(id, DIGEST, targets, table, QuorumPolicy.fraction(threshold),
                    Duration.ofSeconds(30));
            Vote[] v = new Vote[voting + (equivocate ? 1 : 0)];
            int k = 0;
            if (equivocate) {
                v[k++] = new Vote(id, clusters[0], Verdict.YES, DIGEST);
                v[k++] = new Vote(id, clusters[0], Verdict.NO, DIGEST);
                for (int i = 1; i < voting; i++) {
                    v[k++] = new Vote(id, clusters[i], Verdict.YES, DIGEST);
                }
            } else {
                for (int i = 0; i < voting; i++) {
                    v[k++] = new Vote(id, clusters[i], Verdict.YES, DIGEST);
                }
            }
            votes[r] = v;
        }
    }

    /** An engine that forgets decided rounds before the ring wraps, with a no-op listener. */
    static ConsensusEngine engine(boolean staticWeights) {
        ConsensusEngine.Builder b = ConsensusEngine.builder().rememberDecided(RING / 4);
        if (staticWeights) {
            b.weighting((cluster, configured, record) -> configured);
        }
        return b.build();
    }

    /** The index of the next round of the ring. */
    int nextRound() {
        int r = next;
        next = (next + 1) & (RING - 1);
        return r;
    }
}
