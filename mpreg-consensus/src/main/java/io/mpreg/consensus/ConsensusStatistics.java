package io.mpreg.consensus;

import io.mpreg.api.AbortReason;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A snapshot of a {@link ConsensusEngine}'s counters. Decision times are a real mean and percentiles from a
 * histogram (within 0.8 %).
 *
 * @param roundsOpened            rounds opened
 * @param openRounds              rounds open now
 * @param commits                 rounds committed
 * @param aborts                  rounds aborted, by reason (every reason present, zero if none)
 * @param byzantineFaultsDetected suspicions raised by fault detectors
 * @param votesCounted            votes counted into a round
 * @param duplicateVotes          repeated votes not counted again
 * @param strayVotes              votes for unknown rounds or from clusters outside the round
 * @param lateVotes               votes for rounds already decided
 * @param detectorErrors          exceptions thrown by fault detectors (the detector is then off for that round)
 * @param meanDecisionTime        mean time from opening to decision
 * @param p50DecisionTime         median time from opening to decision
 * @param p99DecisionTime         99th percentile of the time from opening to decision
 * @param maxDecisionTime         longest time from opening to decision
 * @since 0.1.0
 */
public record ConsensusStatistics(long roundsOpened, int openRounds, long commits, Map<AbortReason, Long> aborts,
                                  long byzantineFaultsDetected, long votesCounted, long duplicateVotes,
                                  long strayVotes, long lateVotes, long detectorErrors, Duration meanDecisionTime,
                                  Duration p50DecisionTime, Duration p99DecisionTime, Duration maxDecisionTime) {
    public ConsensusStatistics {
        EnumMap<AbortReason, Long> all = new EnumMap<>(AbortReason.class);
        for (AbortReason r : AbortReason.values()) {
            all.put(r, aborts.getOrDefault(r, 0L));
        }
        aborts = Collections.unmodifiableMap(all);
    }

    /** Rounds aborted for {@code reason}. */
    public long aborts(AbortReason reason) {
        return aborts.get(reason);
    }

    /** Rounds aborted for any reason. */
    public long abortsTotal() {
        return aborts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Rounds decided. */
    public long decided() {
        return commits + abortsTotal();
    }
}
