package io.mpreg.it;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.RoundId;
import io.mpreg.api.Threshold;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;
import io.mpreg.consensus.ConsensusEngine;
import io.mpreg.consensus.QuorumPolicy;
import io.mpreg.consensus.RoundSpec;
import io.mpreg.consensus.VoteEffect;
import io.mpreg.consensus.VoterSet;
import io.mpreg.consensus.WeightTable;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vote hot path allocates nothing: 5 clusters vote (equivocation check, tally, quorum check) in rounds that
 * stay open, and the thread's allocation counter must not move while the votes are counted.
 */
class VotePathAllocationIT {
    private static final int ROUNDS = 2_000;

    @Test
    void countingAVoteAllocatesNothing() {
        assertTrue(Allocations.supported(), "this JVM does not count per-thread allocation");
        ClusterId[] clusters = new ClusterId[6];
        for (int i = 0; i < clusters.length; i++) {
            clusters[i] = ClusterId.of("cluster-" + i);
        }
        VoterSet targets = VoterSet.of(clusters);
        WeightTable table = WeightTable.equal(clusters);
        Digest digest = Digest.sha256(new byte[] {7});
        long[] now = {0};
        ConsensusEngine engine = ConsensusEngine.builder().ticker(() -> now[0]).maxOpenRounds(ROUNDS)
                .rememberDecided(ROUNDS).build();
        int sequence = 0;
        long measured = -1;
        for (int pass = 0; pass < 30; pass++) {
            RoundSpec[] specs = new RoundSpec[ROUNDS];
            Vote[] votes = new Vote[ROUNDS * 5];
            for (int r = 0; r < ROUNDS; r++) {
                RoundId id = new RoundId(clusters[0], sequence++);
                // threshold 1/1 over 6 targets of which 5 vote: the rounds stay open
                specs[r] = new RoundSpec(id, digest, targets, table, QuorumPolicy.fraction(Threshold.ALL),
                        Duration.ofSeconds(30));
                for (int v = 0; v < 5; v++) {
                    votes[r * 5 + v] = new Vote(id, ClusterId.of(clusters[v].value()), Verdict.YES, digest);
                }
                engine.open(specs[r]);
            }
            int[] counted = {0};
            measured = Allocations.bytesAllocatedBy(() -> {
                for (Vote vote : votes) {
                    if (engine.onVote(vote) == VoteEffect.COUNTED) {
                        counted[0]++;
                    }
                }
            });
            assertEquals(ROUNDS * 5, counted[0]);
            for (RoundSpec spec : specs) {
                engine.cancel(spec.id());
            }
        }
        assertEquals(0, measured, "bytes allocated while counting " + ROUNDS * 5 + " votes (last pass)");
    }
}
