package io.mpreg.api.spi.weighting;

/**
 * What a coordinator observed of one cluster across the rounds it decided.
 *
 * @param roundsAsked             decided rounds the cluster was a target of
 * @param votesAnswered           of those, rounds it answered before the decision
 * @param votesMissed             of those, rounds it did not answer before the decision
 * @param equivocations           rounds in which it equivocated
 * @param roundsSinceEquivocation decided rounds since its last equivocation, {@link #NEVER} if none
 * @param roundsSinceMiss         decided rounds since it last missed a vote, {@link #NEVER} if none
 * @param meanAnswerNanos         mean time from a round's opening to its answer, 0 if it never answered
 * @since 0.1.0
 */
public record ClusterRecord(long roundsAsked, long votesAnswered, long votesMissed, long equivocations,
                            long roundsSinceEquivocation, long roundsSinceMiss, long meanAnswerNanos) {
    /** The value of a "rounds since" field when the event never happened. */
    public static final long NEVER = Long.MAX_VALUE;

    /** The record of a cluster never seen. */
    public static final ClusterRecord FRESH = new ClusterRecord(0, 0, 0, 0, NEVER, NEVER, 0);

    public ClusterRecord {
        if (roundsAsked < 0 || votesAnswered < 0 || votesMissed < 0 || equivocations < 0
                || roundsSinceEquivocation < 0 || roundsSinceMiss < 0 || meanAnswerNanos < 0) {
            throw new IllegalArgumentException("cluster record counters must be >= 0, got rounds=" + roundsAsked
                    + " answered=" + votesAnswered + " missed=" + votesMissed + " equivocations=" + equivocations
                    + " sinceEquivocation=" + roundsSinceEquivocation + " sinceMiss=" + roundsSinceMiss
                    + " meanAnswerNanos=" + meanAnswerNanos);
        }
    }
}
