package io.mpreg.api;

/**
 * One voter's answer in one round. A vote is identified by {@code (round, voter)}: a second vote with the same
 * identity and the same verdict and digest is a retransmission; one with a different verdict or digest is
 * equivocation.
 *
 * @param round   the round voted in
 * @param voter   the voting cluster
 * @param verdict the answer
 * @param digest  the digest of the message the voter saw
 * @param reason  why the voter answered as it did (empty for a plain yes); not part of the vote's identity
 * @since 0.1.0
 */
public record Vote(RoundId round, ClusterId voter, Verdict verdict, Digest digest, String reason) {
    public Vote {
        if (round == null || voter == null || verdict == null || digest == null) {
            throw new IllegalArgumentException("vote needs round, voter, verdict and digest, got round=" + round
                    + " voter=" + voter + " verdict=" + verdict + " digest=" + digest);
        }
        if (reason == null) {
            throw new IllegalArgumentException("vote reason must not be null (use \"\"), voter " + voter);
        }
    }

    /** A vote without a reason. */
    public Vote(RoundId round, ClusterId voter, Verdict verdict, Digest digest) {
        this(round, voter, verdict, digest, "");
    }

    /** Whether {@code other} says the same thing (same verdict and digest), i.e. would be a retransmission. */
    public boolean saysSameAs(Vote other) {
        return verdict == other.verdict && digest.equals(other.digest);
    }

    /**
     * Whether this vote and {@code other} together prove equivocation: same round and voter, different verdict or
     * digest.
     */
    public boolean conflictsWith(Vote other) {
        return round.equals(other.round) && voter.equals(other.voter) && !saysSameAs(other);
    }
}
