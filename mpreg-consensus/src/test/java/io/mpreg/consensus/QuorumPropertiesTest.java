package io.mpreg.consensus;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.RoundId;
import io.mpreg.api.Threshold;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;
import io.mpreg.consensus.internal.StaticWeighting;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Laws of the quorum arithmetic and of rounds, checked on seeded random cases (each case names its seed, so a
 * failure replays exactly).
 */
class QuorumPropertiesTest {
    private static final int CASES = 500;

    private static Stream<DynamicTest> cases(String law, CaseBody body) {
        return LongStream.range(0, CASES).mapToObj(seed -> DynamicTest.dynamicTest(law + " seed=" + seed,
                () -> body.run(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + law.hashCode()))));
    }

    @FunctionalInterface
    interface CaseBody {
        void run(SplittableRandom random);
    }

    private static long[] randomWeights(SplittableRandom random, int maxClusters, int maxWeight) {
        int n = 1 + random.nextInt(maxClusters);
        long[] w = new long[n];
        for (int i = 0; i < n; i++) {
            w[i] = 1 + random.nextInt(maxWeight);
        }
        return w;
    }

    /** A random subset of voters grown in random order until its weight reaches {@code quorum}. */
    private static boolean[] randomQuorum(SplittableRandom random, long[] weights, long quorum) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            order.add(i);
        }
        for (int i = order.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        boolean[] in = new boolean[weights.length];
        long sum = 0;
        for (int i : order) {
            if (sum >= quorum) {
                break;
            }
            in[i] = true;
            sum += weights[i];
        }
        return in;
    }

    @TestFactory
    Stream<DynamicTest> anyTwoByzantineQuorumsIntersectInMoreThanF() {
        return cases("bft-intersection", random -> {
            long[] w = randomWeights(random, 30, 20);
            long total = LongStream.of(w).sum();
            int f = random.nextInt(w.length);
            QuorumPolicy.Byzantine policy = new QuorumPolicy.Byzantine(f);
            long faulty = policy.faultyWeight(w);
            if (total < 3 * faulty + 1) {
                return; // refused configuration, checked below
            }
            long q = policy.requiredWeight(w, total);
            assertTrue(q <= total - faulty, "the honest weight alone can reach Q");
            boolean[] a = randomQuorum(random, w, q);
            boolean[] b = randomQuorum(random, w, q);
            long common = 0;
            for (int i = 0; i < w.length; i++) {
                if (a[i] && b[i]) {
                    common += w[i];
                }
            }
            assertTrue(common > faulty, "quorums intersect in " + common + " <= F=" + faulty);
            assertTrue(2 * q - total > faulty, "worst case 2Q-W must exceed F");
        });
    }

    @TestFactory
    Stream<DynamicTest> byzantineRefusesExactlyWhenWBelow3FPlus1() {
        return cases("bft-refusal", random -> {
            long[] w = randomWeights(random, 10, 10);
            long total = LongStream.of(w).sum();
            int f = random.nextInt(w.length + 1);
            QuorumPolicy.Byzantine policy = new QuorumPolicy.Byzantine(f);
            long faulty = policy.faultyWeight(w);
            boolean refused;
            try {
                policy.requiredWeight(w, total);
                refused = false;
            } catch (ConsensusException e) {
                refused = true;
            }
            assertEquals(total < 3 * faulty + 1, refused);
        });
    }

    @TestFactory
    Stream<DynamicTest> thresholdRequiredWeightIsTheExactCeiling() {
        return cases("threshold-ceiling", random -> {
            long d = 1 + random.nextInt(1000);
            long n = 1 + random.nextLong(d);
            long total = random.nextBoolean() ? random.nextLong(1_000_000) : random.nextLong(Long.MAX_VALUE);
            Threshold t = Threshold.of(n, d);
            long q = t.requiredWeight(total);
            BigInteger need = BigInteger.valueOf(total).multiply(BigInteger.valueOf(t.numerator()));
            BigInteger den = BigInteger.valueOf(t.denominator());
            assertTrue(BigInteger.valueOf(q).multiply(den).compareTo(need) >= 0, "q reaches the threshold");
            assertTrue(q == 0 || BigInteger.valueOf(q - 1).multiply(den).compareTo(need) < 0, "q is the least");
        });
    }

    @TestFactory
    Stream<DynamicTest> aRoundDecidesAtTheFirstVoteThatMakesTheOutcomeCertain() {
        return cases("round-decides-early", random -> {
            long[] w = randomWeights(random, 12, 5);
            TreeMap<ClusterId, Long> map = new TreeMap<>();
            for (int i = 0; i < w.length; i++) {
                map.put(ClusterId.of(String.format("c%02d", i)), w[i]);
            }
            WeightTable table = WeightTable.of(1, map);
            long d = 1 + random.nextInt(5);
            Threshold threshold = Threshold.of(1 + random.nextLong(d), d);
            long q = threshold.requiredWeight(table.total());
            List<Decision> decisions = new ArrayList<>();
            ConsensusEngine engine = ConsensusEngine.builder().ticker(() -> 0).weighting(new StaticWeighting())
                    .listener(decisions::add).build();
            RoundId id = new RoundId(ClusterId.of("coord"), 0);
            Digest digest = Digest.sha256(new byte[] {1});
            engine.open(RoundSpec.of(id, digest, map.keySet(), table, QuorumPolicy.fraction(threshold),
                    Duration.ofSeconds(1)));
            List<ClusterId> voters = new ArrayList<>(map.keySet());
            java.util.Collections.shuffle(voters, new java.util.Random(random.nextLong()));
            long yes = 0;
            long reachable = table.total();
            for (ClusterId voter : voters) {
                boolean accept = random.nextInt(4) != 0;
                engine.onVote(new Vote(id, voter, accept ? Verdict.YES : Verdict.NO, digest));
                if (accept) {
                    yes += map.get(voter);
                } else {
                    reachable -= map.get(voter);
                }
                boolean certain = yes >= q || reachable < q;
                assertEquals(certain, !decisions.isEmpty(), "decided exactly when certain (yes=" + yes
                        + ", reachable=" + reachable + ", q=" + q + ")");
                if (certain) {
                    assertEquals(yes >= q, decisions.get(0).committed());
                    assertEquals(yes, decisions.get(0).yesWeight());
                    break;
                }
            }
            assertEquals(1, decisions.size());
            assertFalse(engine.isOpen(id));
        });
    }
}
