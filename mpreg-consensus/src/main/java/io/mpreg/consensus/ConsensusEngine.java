package io.mpreg.consensus;

import io.mpreg.api.LatencyBuckets;
import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.RoundId;
import io.mpreg.api.Vote;
import io.mpreg.api.spi.fault.FaultDetector;
import io.mpreg.api.spi.fault.Suspicion;
import io.mpreg.api.spi.fault.RoundView;
import io.mpreg.api.spi.fault.RoundWatch;
import io.mpreg.api.spi.weighting.ClusterRecord;
import io.mpreg.api.spi.weighting.WeightingStrategy;
import io.mpreg.consensus.internal.EquivocationDetector;
import io.mpreg.consensus.internal.ReliabilityWeighting;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The coordinator's side of consensus: owns many concurrent rounds, counts their votes, fires their deadlines from
 * the injected {@link Ticker}, keeps what it observed of each cluster for the weighting strategy, and keeps
 * statistics.
 *
 * <p>Not thread-safe by design: one thread (the node's event loop) calls every method. Decisions are handed to
 * the {@link DecisionListener} synchronously. Nothing here sleeps or starts a thread; the owner calls
 * {@link #expire()} when {@link #nextDeadline()} has passed.
 *
 * @since 0.1.0
 */
public final class ConsensusEngine {
    private final Ticker ticker;
    private final WeightingStrategy weighting;
    private final FaultDetector[] detectors;
    private final DecisionListener listener;
    private final int maxOpenRounds;

    private final HashMap<RoundId, ConsensusRound> open = new HashMap<>();
    private final PriorityQueue<ConsensusRound> deadlines =
            new PriorityQueue<>((a, b) -> Long.compare(a.deadline, b.deadline));
    private final Map<RoundId, Boolean> recentlyDecided;
    /** The most recent decided rounds, kept whole so late votes still reach the fault detectors. */
    private final Map<RoundId, ConsensusRound> inspectable;
    private final ClusterLedger ledger = new ClusterLedger();
    private final EngineCounters counters = new EngineCounters();
    private final LatencyHistogram decisionTimes = new LatencyHistogram();

    private ConsensusEngine(Builder b) {
        this.ticker = b.ticker;
        this.weighting = b.weighting;
        this.detectors = b.detectors.toArray(new FaultDetector[0]);
        this.listener = b.listener;
        this.maxOpenRounds = b.maxOpenRounds;
        int remembered = b.rememberDecided;
        this.recentlyDecided = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<RoundId, Boolean> eldest) {
                return size() > remembered;
            }
        };
        int kept = b.inspectLate;
        this.inspectable = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<RoundId, ConsensusRound> eldest) {
                return size() > kept;
            }
        };
    }

    /** A builder with the defaults: system ticker, reliability weighting, equivocation detection. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens a round: snapshots each target's effective weight (configured weight through the weighting strategy),
     * computes the quorum, and starts the fault detectors' watches.
     *
     * @throws ConsensusException with reason {@link AbortReason#REJECTED} if the round id is open or was recently
     *                            decided, the engine holds {@code maxOpenRounds} rounds, the targets' total effective
     *                            weight is 0, the quorum policy refuses the weights, or the weighting strategy or a
     *                            fault detector threw or answered out of range ({@link ConsensusException#plugin()})
     */
    public void open(RoundSpec spec) {
        RoundId id = spec.id();
        if (open.containsKey(id) || recentlyDecided.containsKey(id)) {
            throw new ConsensusException(AbortReason.REJECTED, "round " + id + " was already opened");
        }
        if (open.size() >= maxOpenRounds) {
            throw new ConsensusException(AbortReason.REJECTED, "cannot open round " + id + ": " + open.size()
                    + " rounds are open, the limit is " + maxOpenRounds);
        }
        VoterSet voters = spec.targets();
        ClusterLedger.Entry[] entries = ledger.entriesFor(voters);
        long[] weights = weigh(id, voters, entries, spec.table());
        long total = 0;
        for (long w : weights) {
            total += w;
        }
        long required = spec.policy().requiredWeight(weights, total);
        RoundView view = new RoundView(id, spec.digest(), voters.asList());
        RoundWatch[] watches = new RoundWatch[detectors.length];
        for (int k = 0; k < detectors.length; k++) {
            try {
                watches[k] = detectors[k].watch(view);
            } catch (RuntimeException e) {
                throw ConsensusException.pluginFailed("fault detector", detectors[k].getClass(), id, e);
            }
        }
        long now = ticker.nanos();
        long deadline = now + Math.min(spec.timeout().toNanos(), Long.MAX_VALUE / 4);
        ConsensusRound round = new ConsensusRound(id, spec.digest(), voters, entries, weights, total, required,
                watches, now, deadline, counters);
        open.put(id, round);
        deadlines.add(round);
        counters.roundsOpened++;
    }

    /**
     * The effective weights the targets would carry in round {@code id} opened now under {@code table}, in
     * {@code voters}' order: what {@link #open} snapshots, so a coordinator can state them (in the round's terms)
     * before it opens the round.
     *
     * @throws ConsensusException as {@link #open} does for the weights
     */
    public long[] effectiveWeights(RoundId id, VoterSet voters, WeightTable table) {
        return weigh(id, voters, ledger.entriesFor(voters), table);
    }

    private long[] weigh(RoundId id, VoterSet voters, ClusterLedger.Entry[] entries, WeightTable table) {
        long[] configured = voters.weightsIn(table);
        long[] weights = new long[configured.length];
        long total = 0;
        for (int i = 0; i < weights.length; i++) {
            long effective;
            try {
                effective = weighting.effectiveWeight(voters.get(i), configured[i], ledger.record(entries[i]));
            } catch (RuntimeException e) {
                throw ConsensusException.pluginFailed("weighting strategy", weighting.getClass(), id, e);
            }
            if (effective < 0 || effective > configured[i]) {
                throw ConsensusException.pluginFailed("weighting strategy", weighting.getClass(), id,
                        new IllegalStateException("it gave " + voters.get(i) + " weight " + effective
                                + ", outside [0, " + configured[i] + "]"));
            }
            weights[i] = effective;
            total += effective;
        }
        if (total == 0) {
            throw new ConsensusException(AbortReason.REJECTED, "cannot open round " + id
                    + ": the total effective weight of its targets is 0 (configured "
                    + configuredOf(voters, configured) + "; every target is weightless or untrusted)");
        }
        return weights;
    }

    private static String configuredOf(VoterSet voters, long[] configured) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < configured.length && i < 10; i++) {
            sb.append(i == 0 ? "" : ", ").append(voters.get(i)).append('=').append(configured[i]);
        }
        return sb.append(configured.length > 10 ? ", ...}" : "}").toString();
    }

    /**
     * Counts one vote. Allocates nothing unless the vote raises a fault or decides its round.
     *
     * @return what happened to the vote
     */
    public VoteEffect onVote(Vote vote) {
        ConsensusRound round = open.get(vote.round());
        if (round == null) {
            if (recentlyDecided.containsKey(vote.round())) {
                ConsensusRound decided = inspectable.get(vote.round());
                List<Suspicion> late = decided == null ? List.of() : decided.inspectLate(vote);
                if (!late.isEmpty()) {
                    for (Suspicion s : late) {
                        int j = decided.indexOf(s.suspect());
                        if (j >= 0) {
                            ledger.lateEquivocation(decided.ledgerEntries[j]);
                        }
                        listener.onLateFault(vote.round(), s);
                    }
                    return VoteEffect.SUSPECTED;
                }
                counters.lateVotes++;
                return VoteEffect.LATE;
            }
            counters.strayVotes++;
            return VoteEffect.STRAY;
        }
        long now = ticker.nanos();
        VoteEffect effect = round.onVote(vote, now);
        switch (effect) {
            case STRAY -> counters.strayVotes++;
            case DUPLICATE, FROM_EXCLUDED -> counters.duplicateVotes++;
            default -> {
            }
        }
        if (round.isDecided()) {
            finish(round, now);
        }
        return effect;
    }

    /**
     * Tells every open round that {@code cluster} left (its node stopped or its link is down): its undecided weight
     * can no longer say yes, which may abort rounds at once.
     *
     * @return the number of open rounds that had it as an undecided voter
     */
    public int departed(ClusterId cluster, String why) {
        long now = ticker.nanos();
        int affected = 0;
        for (ConsensusRound round : List.copyOf(open.values())) {
            int i = round.indexOf(cluster);
            if (i >= 0 && round.depart(i, why)) {
                affected++;
                if (round.isDecided()) {
                    finish(round, now);
                }
            }
        }
        return affected;
    }

    /**
     * Aborts an open round with {@link AbortReason#CANCELLED}.
     *
     * @return whether the round was open
     */
    public boolean cancel(RoundId id) {
        ConsensusRound round = open.get(id);
        if (round == null) {
            return false;
        }
        round.abort(AbortReason.CANCELLED);
        finish(round, ticker.nanos());
        return true;
    }

    /**
     * Aborts with {@link AbortReason#TIMEOUT} every open round whose deadline has passed.
     *
     * @return how many rounds timed out
     */
    public int expire() {
        long now = ticker.nanos();
        int expired = 0;
        ConsensusRound next;
        while ((next = deadlines.peek()) != null && (next.isDecided() || next.deadline - now <= 0)) {
            deadlines.poll();
            if (!next.isDecided()) {
                next.abort(AbortReason.TIMEOUT);
                finish(next, now);
                expired++;
            }
        }
        return expired;
    }

    /** The earliest deadline of an open round as a {@link Ticker} reading, or {@link Long#MAX_VALUE} if none. */
    public long nextDeadline() {
        ConsensusRound next;
        while ((next = deadlines.peek()) != null && next.isDecided()) {
            deadlines.poll();
        }
        return next == null ? Long.MAX_VALUE : next.deadline;
    }

    private void finish(ConsensusRound round, long now) {
        open.remove(round.id);
        recentlyDecided.put(round.id, Boolean.TRUE);
        inspectable.put(round.id, round);
        ledger.roundDecided(round);
        decisionTimes.record(now - round.openedAt);
        Decision decision = round.toDecision(now);
        if (decision.committed()) {
            counters.commits++;
        } else {
            counters.aborts[decision.reason().ordinal()]++;
        }
        if (deadlines.size() > 2 * open.size() + 64) {
            deadlines.removeIf(ConsensusRound::isDecided);
        }
        listener.onDecision(decision);
    }

    /** Snapshots of the open rounds, oldest first, for diagnostics. */
    public List<RoundSnapshot> openRoundSnapshots() {
        List<RoundSnapshot> out = new java.util.ArrayList<>();
        open.values().stream().sorted(java.util.Comparator.comparingLong(r -> r.openedAt))
                .forEach(r -> out.add(r.snapshot()));
        return out;
    }

    /** Whether round {@code id} is open. */
    public boolean isOpen(RoundId id) {
        return open.containsKey(id);
    }

    /** How many rounds are open. */
    public int openRounds() {
        return open.size();
    }

    /** What this engine observed of {@code cluster} so far. */
    public ClusterRecord record(ClusterId cluster) {
        return ledger.record(cluster);
    }

    /** The effective weight {@code cluster} would carry in a round opened now, given its configured weight. */
    public long effectiveWeight(ClusterId cluster, long configuredWeight) {
        return weighting.effectiveWeight(cluster, configuredWeight, ledger.record(cluster));
    }

    /** The time from opening to decision of every round decided here, under the fixed latency bounds. */
    public LatencyBuckets decisionBuckets() {
        return decisionTimes.buckets();
    }

    /** A snapshot of the counters. */
    public ConsensusStatistics statistics() {
        EnumMap<AbortReason, Long> aborts = new EnumMap<>(AbortReason.class);
        for (AbortReason r : AbortReason.values()) {
            aborts.put(r, counters.aborts[r.ordinal()]);
        }
        return new ConsensusStatistics(counters.roundsOpened, open.size(), counters.commits, aborts,
                counters.byzantineFaults, counters.votesCounted, counters.duplicateVotes, counters.strayVotes,
                counters.lateVotes, counters.detectorErrors, decisionTimes.mean(), decisionTimes.percentile(50),
                decisionTimes.percentile(99), decisionTimes.max());
    }

    /** Configures a {@link ConsensusEngine}. */
    public static final class Builder {
        private Ticker ticker = Ticker.system();
        private WeightingStrategy weighting = new ReliabilityWeighting(ReliabilityWeighting.Settings.DEFAULTS);
        private List<FaultDetector> detectors = List.of(new EquivocationDetector());
        private DecisionListener listener = d -> { };
        private int maxOpenRounds = 10_000;
        private int rememberDecided = 65_536;
        private int inspectLate = 4_096;

        private Builder() {
        }

        public Builder ticker(Ticker value) {
            this.ticker = require(value, "ticker");
            return this;
        }

        public Builder weighting(WeightingStrategy value) {
            this.weighting = require(value, "weighting strategy");
            return this;
        }

        /** The fault detectors, run in this order on each vote; may be empty. */
        public Builder detectors(List<FaultDetector> value) {
            this.detectors = List.copyOf(require(value, "detectors"));
            return this;
        }

        public Builder listener(DecisionListener value) {
            this.listener = require(value, "decision listener");
            return this;
        }

        /** Rounds open at once before {@link #open} refuses; 1 or more (default 10 000). */
        public Builder maxOpenRounds(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxOpenRounds must be >= 1, got " + value);
            }
            this.maxOpenRounds = value;
            return this;
        }

        /** Decided round ids remembered to tell late votes from stray ones; 1 or more (default 65 536). */
        /**
         * How many of the most recently decided rounds keep their state so that a vote arriving after the decision
         * still reaches the fault detectors (an equivocator whose second vote comes late is caught); default 4096.
         */
        public Builder inspectLate(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("inspectLate must be >= 0, got " + value);
            }
            this.inspectLate = value;
            return this;
        }

        public Builder rememberDecided(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("rememberDecided must be >= 1, got " + value);
            }
            this.rememberDecided = value;
            return this;
        }

        private static <T> T require(T value, String what) {
            if (value == null) {
                throw new IllegalArgumentException(what + " must not be null");
            }
            return value;
        }

        public ConsensusEngine build() {
            return new ConsensusEngine(this);
        }
    }
}
