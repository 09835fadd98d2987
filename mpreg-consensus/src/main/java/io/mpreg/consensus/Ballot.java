package io.mpreg.consensus;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.RoundId;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;

/**
 * The voter's side of a round: what a target answers to a PREPARE. A target whose weight table differs from the
 * coordinator's answers {@link Verdict#WEIGHTS_MISMATCH} instead of voting, so a desynchronised table is loud.
 *
 * @since 0.1.0
 */
public final class Ballot {
    private Ballot() {
    }

    /**
     * The vote {@code voter} casts.
     *
     * @param round              the round of the PREPARE
     * @param voter              the voting cluster
     * @param digest             the digest of the message the voter received
     * @param localTable         the voter's weight table
     * @param coordinatorVersion the table version the PREPARE carries
     * @param coordinatorHash    the table hash the PREPARE carries
     * @param refusal            why the voter's own validation refuses the message, or {@code null} if it accepts
     */
    public static Vote cast(RoundId round, ClusterId voter, Digest digest, WeightTable localTable,
                            long coordinatorVersion, Digest coordinatorHash, String refusal) {
        if (!localTable.agreesWith(coordinatorVersion, coordinatorHash)) {
            return new Vote(round, voter, Verdict.WEIGHTS_MISMATCH, digest, "local weight table v"
                    + localTable.version() + " (" + localTable.hash() + ") differs from the coordinator's v"
                    + coordinatorVersion + " (" + coordinatorHash + ")");
        }
        if (refusal != null) {
            return new Vote(round, voter, Verdict.NO, digest, refusal);
        }
        return new Vote(round, voter, Verdict.YES, digest);
    }
}
