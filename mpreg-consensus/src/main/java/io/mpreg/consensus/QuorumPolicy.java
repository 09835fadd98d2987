package io.mpreg.consensus;

import io.mpreg.api.AbortReason;
import io.mpreg.api.Threshold;

import java.util.Arrays;

/**
 * How much yes-weight a round needs, computed once from the effective weights snapshotted when it opens.
 *
 * @since 0.1.0
 */
public sealed interface QuorumPolicy permits QuorumPolicy.Fraction, QuorumPolicy.Byzantine {

    /**
     * The least yes-weight that commits a round whose voters carry {@code weights}.
     *
     * @param weights the voters' effective weights, each 0 or more
     * @param total   their sum, more than 0
     * @throws ConsensusException if this policy refuses the configuration
     */
    long requiredWeight(long[] weights, long total);

    /** The global-quorum policy: a share of the total weight. */
    static QuorumPolicy fraction(Threshold threshold) {
        return new Fraction(threshold);
    }

    /** The Byzantine-quorum policy tolerating {@code f} faulty clusters. */
    static QuorumPolicy byzantine(int f) {
        return new Byzantine(f);
    }

    /**
     * Yes-weight of at least {@code threshold} of the total: {@code ceil(W * n / d)}.
     *
     * @param threshold the share
     */
    record Fraction(Threshold threshold) implements QuorumPolicy {
        public Fraction {
            if (threshold == null) {
                throw new IllegalArgumentException("threshold must not be null");
            }
        }

        @Override
        public long requiredWeight(long[] weights, long total) {
            return threshold.requiredWeight(total);
        }
    }

    /**
     * The Byzantine quorum Q = floor((W + F) / 2) + 1, where W is the total weight and F the summed weight of the
     * {@code f} heaviest voters. A configuration with W &lt; 3F + 1 is refused: no quorum could then both survive
     * f faulty voters and intersect every other quorum in more than F honest weight.
     *
     * @param f the number of Byzantine clusters tolerated, 0 or more
     */
    record Byzantine(int f) implements QuorumPolicy {
        public Byzantine {
            if (f < 0) {
                throw new IllegalArgumentException("byzantine tolerance f must be >= 0, got " + f);
            }
        }

        /** F: the summed weight of the {@code f} heaviest of {@code weights}. */
        public long faultyWeight(long[] weights) {
            long[] sorted = weights.clone();
            Arrays.sort(sorted);
            long sum = 0;
            for (int i = sorted.length - 1; i >= 0 && i >= sorted.length - f; i--) {
                sum = Math.addExact(sum, sorted[i]);
            }
            return sum;
        }

        @Override
        public long requiredWeight(long[] weights, long total) {
            long faulty = faultyWeight(weights);
            // W >= 3F + 1  <=>  F <= (W - 1) / 3 for integers, without overflow
            if (faulty > (total - 1) / 3) {
                throw new ConsensusException(AbortReason.REJECTED, "byzantine quorum refused: total weight W="
                        + total + " < 3F+1 with f=" + f + ", F=" + faulty + " (the " + f
                        + " heaviest of " + Arrays.toString(weights) + ")");
            }
            // floor((W + F) / 2) + 1, without overflow
            return total / 2 + faulty / 2 + (total % 2 + faulty % 2) / 2 + 1;
        }
    }
}
