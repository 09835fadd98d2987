package io.mpreg.consensus;

import io.mpreg.api.ClusterId;
import io.mpreg.api.spi.weighting.ClusterRecord;

import java.util.HashMap;
import java.util.Map;

/**
 * What the coordinator observed of each cluster across decided rounds; the input of the weighting strategy.
 * A voter that had not answered when a round committed early is not blamed: only a timeout or a departure counts
 * as a missed vote.
 */
final class ClusterLedger {
    static final class Entry {
        long asked;
        long answered;
        long missed;
        long equivocations;
        long lastEquivocation = -1;
        long lastMiss = -1;
        long answerNanosSum;
    }

    private final Map<ClusterId, Entry> entries = new HashMap<>();
    private long decidedRounds;

    ClusterRecord record(ClusterId cluster) {
        Entry e = entries.get(cluster);
        return e == null ? ClusterRecord.FRESH : record(e);
    }

    ClusterRecord record(Entry e) {
        if (e.asked == 0) {
            return ClusterRecord.FRESH;
        }
        return new ClusterRecord(e.asked, e.answered, e.missed, e.equivocations, since(e.lastEquivocation),
                since(e.lastMiss), e.answered == 0 ? 0 : e.answerNanosSum / e.answered);
    }

    private long since(long round) {
        return round < 0 ? ClusterRecord.NEVER : decidedRounds - round;
    }

    /** The entries of {@code voters}, created as needed, in voter order: looked up once per round. */
    Entry[] entriesFor(VoterSet voters) {
        Entry[] out = new Entry[voters.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = entries.computeIfAbsent(voters.get(i), k -> new Entry());
        }
        return out;
    }

    /** A fault proved after its round was decided: charged as an equivocation in the latest decided round. */
    void lateEquivocation(Entry e) {
        e.equivocations++;
        e.lastEquivocation = decidedRounds;
    }

    void roundDecided(ConsensusRound round) {
        decidedRounds++;
        for (int i = 0; i < round.voterCount(); i++) {
            Entry e = round.ledgerEntries[i];
            e.asked++;
            if (round.isExcluded(i)) {
                e.equivocations++;
                e.lastEquivocation = decidedRounds;
            }
            if (round.answered(i)) {
                e.answered++;
                e.answerNanosSum += round.answerNanos(i);
            } else if (round.departed(i) || round.timedOut()) {
                e.missed++;
                e.lastMiss = decidedRounds;
            }
        }
    }
}
