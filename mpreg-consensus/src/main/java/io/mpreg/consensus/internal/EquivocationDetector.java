package io.mpreg.consensus.internal;

import io.mpreg.api.Vote;
import io.mpreg.api.spi.fault.EquivocationEvidence;
import io.mpreg.api.spi.fault.FaultDetector;
import io.mpreg.api.spi.fault.RoundView;
import io.mpreg.api.spi.fault.RoundWatch;
import io.mpreg.api.spi.fault.Suspicion;

/**
 * The default fault detector: a voter that sends two votes in one round with a different verdict or digest is
 * suspected, with both votes as evidence. A first vote is never a conflict, and a repeated identical vote is a
 * retransmission. Stateless; each round gets its own watch.
 */
public final class EquivocationDetector implements FaultDetector {
    /** The name this detector reports in its suspicions and is provided under. */
    public static final String NAME = "equivocation";

    @Override
    public RoundWatch watch(RoundView round) {
        return new Watch(round.voters().size());
    }

    private static final class Watch implements RoundWatch {
        private final Vote[] first;
        private final boolean[] reported;

        Watch(int voters) {
            first = new Vote[voters];
            reported = new boolean[voters];
        }

        @Override
        public Suspicion onVote(int voterIndex, Vote vote) {
            Vote earlier = first[voterIndex];
            if (earlier == null) {
                first[voterIndex] = vote;
                return null;
            }
            if (reported[voterIndex] || earlier.saysSameAs(vote)) {
                return null;
            }
            reported[voterIndex] = true;
            return new Suspicion(vote.voter(), NAME, new EquivocationEvidence(earlier, vote));
        }
    }
}
