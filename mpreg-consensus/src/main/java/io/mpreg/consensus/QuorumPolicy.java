package io.mpreg.consensus;

import io.mpreg.api.AbortReason;
import io.mpreg.api.RoundTerms;
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
            return RoundTerms.faultyWeight(weights, f);
        }

        @Override
        public long requiredWeight(long[] weights, long total) {
            long faulty = faultyWeight(weights);
            try { // the same arithmetic a commit certificate is checked with
                return RoundTerms.byzantineQuorum(total, faulty, f);
            } catch (IllegalArgumentException e) {
                throw new ConsensusException(AbortReason.REJECTED, e.getMessage() + " (the " + f
                        + " heaviest of " + Arrays.toString(weights) + ")");
            }
        }
    }
}
