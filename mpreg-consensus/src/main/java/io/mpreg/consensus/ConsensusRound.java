package io.mpreg.consensus;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.RoundId;
import io.mpreg.api.Vote;
import io.mpreg.api.spi.fault.RoundWatch;
import io.mpreg.api.spi.fault.Suspicion;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;

/**
 * One open round: an array-indexed tally with incremental weight sums, so a vote costs one hash probe in the
 * {@link VoterSet} and a few additions, and allocates nothing unless it raises a fault.
 *
 * <p>Weight buckets (each voter's effective weight sits in exactly one): undecided, {@code yes}, {@code lost} (no,
 * a yes for another digest, or departed), {@code mismatch} (WEIGHTS_MISMATCH) and {@code excluded} (suspected by a
 * fault detector). The round commits when {@code yes >= required} and aborts when the weight that could still say
 * yes, {@code total - lost - mismatch - excluded}, falls below {@code required}.
 */
final class ConsensusRound {
    private static final byte UNDECIDED = 0;
    private static final byte YES = 1;
    private static final byte NO = 2;
    private static final byte MISMATCH = 3;
    private static final byte DEPARTED = 4;

    final RoundId id;
    final long openedAt;
    final long deadline;
    private final Digest digest;
    private final VoterSet voters;
    final ClusterLedger.Entry[] ledgerEntries;
    private final long[] weights;
    private final long total;
    private final long required;
    private final RoundWatch[] watches;
    private final EngineCounters counters;

    private final byte[] state;
    private final boolean[] excluded;
    private final long[] answeredAt;
    private String[] reasons;
    private List<Suspicion> faults;

    private long yes;
    private long lost;
    private long mismatch;
    private long excludedWeight;
    private Decision.Outcome outcome;
    private AbortReason abortReason;

    ConsensusRound(RoundId id, Digest digest, VoterSet voters, ClusterLedger.Entry[] ledgerEntries, long[] weights,
                   long total, long required, RoundWatch[] watches, long openedAt, long deadline,
                   EngineCounters counters) {
        this.id = id;
        this.digest = digest;
        this.voters = voters;
        this.ledgerEntries = ledgerEntries;
        this.weights = weights;
        this.total = total;
        this.required = required;
        this.watches = watches;
        this.openedAt = openedAt;
        this.deadline = deadline;
        this.counters = counters;
        this.state = new byte[voters.size()];
        this.excluded = new boolean[voters.size()];
        this.answeredAt = new long[voters.size()];
    }

    boolean isDecided() {
        return outcome != null;
    }

    boolean timedOut() {
        return abortReason == AbortReason.TIMEOUT;
    }

    /** What this round looks like now. */
    RoundSnapshot snapshot() {
        java.util.SortedMap<ClusterId, String> answers = new java.util.TreeMap<>();
        java.util.SortedSet<ClusterId> suspects = new java.util.TreeSet<>();
        java.util.SortedMap<ClusterId, Long> w = new java.util.TreeMap<>();
        for (int i = 0; i < state.length; i++) {
            ClusterId c = voters.get(i);
            answers.put(c, switch (state[i]) {
                case YES -> "YES";
                case NO -> "NO";
                case MISMATCH -> "WEIGHTS_MISMATCH";
                case DEPARTED -> "DEPARTED";
                default -> "WAITING";
            });
            if (excluded[i]) {
                suspects.add(c);
            }
            w.put(c, weights[i]);
        }
        return new RoundSnapshot(id, answers, suspects, w, yes, required, yes >= required);
    }

    int voterCount() {
        return state.length;
    }

    boolean answered(int i) {
        return state[i] != UNDECIDED && state[i] != DEPARTED;
    }

    boolean departed(int i) {
        return state[i] == DEPARTED;
    }

    boolean isExcluded(int i) {
        return excluded[i];
    }

    long answerNanos(int i) {
        return answeredAt[i] - openedAt;
    }

    int indexOf(ClusterId voter) {
        return voters.indexOf(voter);
    }

    /** Counts one vote; the round must be open and the vote for this round. */
    VoteEffect onVote(Vote vote, long now) {
        int i = indexOf(vote.voter());
        if (i < 0) {
            return VoteEffect.STRAY;
        }
        boolean suspected = inspect(i, vote);
        if (excluded[i]) {
            if (suspected) {
                evaluate();
                return VoteEffect.SUSPECTED;
            }
            return VoteEffect.FROM_EXCLUDED;
        }
        byte s = state[i];
        if (s != UNDECIDED && s != DEPARTED) {
            if (suspected) {
                evaluate();
                return VoteEffect.SUSPECTED;
            }
            return VoteEffect.DUPLICATE;
        }
        long w = weights[i];
        if (s == DEPARTED) {
            lost -= w;
        }
        switch (vote.verdict()) {
            case YES -> {
                if (vote.digest().equals(digest)) {
                    state[i] = YES;
                    yes += w;
                } else {
                    state[i] = NO;
                    lost += w;
                    reason(i, "voted yes for another message (digest " + vote.digest() + ")");
                }
            }
            case NO -> {
                state[i] = NO;
                lost += w;
                reason(i, vote.reason().isEmpty() ? "voted no" : "voted no: " + vote.reason());
            }
            case WEIGHTS_MISMATCH -> {
                state[i] = MISMATCH;
                mismatch += w;
                reason(i, "weights mismatch: " + vote.reason());
            }
        }
        answeredAt[i] = now;
        counters.votesCounted++;
        evaluate();
        return suspected ? VoteEffect.SUSPECTED : VoteEffect.COUNTED;
    }

    /**
     * Runs the fault detectors on a vote that arrived after the decision; the decision stands.
     *
     * @return the faults this vote proved (empty almost always)
     */
    List<Suspicion> inspectLate(Vote vote) {
        int i = indexOf(vote.voter());
        if (i < 0) {
            return List.of();
        }
        int before = faults == null ? 0 : faults.size();
        inspect(i, vote);
        return faults == null || faults.size() == before ? List.of() : List.copyOf(faults.subList(before,
                faults.size()));
    }

    /** Runs the fault detectors; returns whether a voter was newly excluded. */
    private boolean inspect(int i, Vote vote) {
        boolean excludedSomeone = false;
        for (int k = 0; k < watches.length; k++) {
            RoundWatch watch = watches[k];
            if (watch == null) {
                continue;
            }
            Suspicion suspicion;
            try {
                suspicion = watch.onVote(i, vote);
            } catch (RuntimeException e) {
                watches[k] = null;
                counters.detectorErrors++;
                continue;
            }
            if (suspicion != null) {
                excludedSomeone |= exclude(suspicion);
            }
        }
        return excludedSomeone;
    }

    private boolean exclude(Suspicion suspicion) {
        if (faults == null) {
            faults = new ArrayList<>(2);
        }
        faults.add(suspicion);
        counters.byzantineFaults++;
        int j = indexOf(suspicion.suspect());
        if (j < 0 || excluded[j]) {
            return false;
        }
        long w = weights[j];
        switch (state[j]) {
            case YES -> yes -= w;
            case NO, DEPARTED -> lost -= w;
            case MISMATCH -> mismatch -= w;
            default -> {
            }
        }
        excluded[j] = true;
        excludedWeight += w;
        reason(j, "excluded: " + suspicion.evidence().describe());
        return true;
    }

    /**
     * The voter at index {@code i} left (its node stopped, its link is down): its weight can no longer say yes.
     *
     * @return whether the voter was still undecided (and so departed now)
     */
    boolean depart(int i, String why) {
        if (state[i] != UNDECIDED || excluded[i]) {
            return false;
        }
        state[i] = DEPARTED;
        lost += weights[i];
        reason(i, "departed: " + why);
        evaluate();
        return true;
    }

    private void reason(int i, String text) {
        if (reasons == null) {
            reasons = new String[state.length];
        }
        reasons[i] = text;
    }

    private void evaluate() {
        if (yes >= required) {
            outcome = Decision.Outcome.COMMIT;
            return;
        }
        long reachable = total - lost - mismatch - excludedWeight;
        if (reachable < required) {
            outcome = Decision.Outcome.ABORT;
            if (reachable + excludedWeight >= required) {
                abortReason = AbortReason.BYZANTINE;
            } else if (reachable + excludedWeight + mismatch >= required) {
                abortReason = AbortReason.WEIGHTS_MISMATCH;
            } else {
                abortReason = AbortReason.QUORUM_IMPOSSIBLE;
            }
        }
    }

    /** Ends the round from outside (deadline, cancellation). */
    void abort(AbortReason reason) {
        if (outcome == null) {
            outcome = Decision.Outcome.ABORT;
            abortReason = reason;
        }
    }

    Decision toDecision(long now) {
        int n = state.length;
        ClusterId[] accepted = new ClusterId[n];
        ClusterId[] silent = new ClusterId[n];
        int a = 0;
        int q = 0;
        TreeMap<ClusterId, String> refused = null;
        for (int i = 0; i < n; i++) {
            if (excluded[i] || state[i] == NO || state[i] == MISMATCH || state[i] == DEPARTED) {
                if (refused == null) {
                    refused = new TreeMap<>();
                }
                refused.put(voters.get(i), reasons[i]);
            } else if (state[i] == YES) {
                accepted[a++] = voters.get(i);
            } else {
                silent[q++] = voters.get(i);
            }
        }
        return new Decision(id, outcome, abortReason, List.of(Arrays.copyOf(accepted, a)),
                refused == null ? Collections.emptySortedMap() : refused,
                List.of(Arrays.copyOf(silent, q)), faults == null ? List.of() : faults, yes, required, total,
                Duration.ofNanos(now - openedAt));
    }
}
