package io.mpreg.api.spi.fault;

import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.RoundId;

import java.util.List;

/**
 * What a fault detector knows of a round when it opens.
 *
 * @param round  the round
 * @param digest the digest of the message the round decides on
 * @param voters the voting clusters in voter-index order (the index {@link RoundWatch#onVote} receives)
 * @since 0.1.0
 */
public record RoundView(RoundId round, Digest digest, List<ClusterId> voters) {
    public RoundView {
        if (round == null || digest == null || voters == null) {
            throw new IllegalArgumentException("round view needs round, digest and voters, got " + round + ", "
                    + digest + ", " + voters);
        }
        voters = List.copyOf(voters);
    }
}
