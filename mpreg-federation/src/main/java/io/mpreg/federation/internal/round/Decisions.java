package io.mpreg.federation.internal.round;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.RoundId;
import io.mpreg.federation.EventLoop;
import io.mpreg.federation.internal.DedupWindow;
import io.mpreg.federation.internal.log.Journal;
import io.mpreg.federation.internal.log.LogTime;
import io.mpreg.federation.internal.log.RecordInput;
import io.mpreg.federation.internal.log.RecordTypes;
import io.mpreg.federation.internal.log.RecordWriter;
import io.mpreg.federation.internal.log.StateLog;
import io.mpreg.federation.internal.wire.WireMessage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * What a coordinator remembers of its rounds, in memory and in the node's log: each round it opened (with its
 * targets) and each decision with the certificate of a commit, the decisions for the dedup window so a target that
 * asks again is answered. Replayed after a restart, the rounds opened and not decided are {@link #endUndecided ended}.
 * Loop-thread only.
 */
final class Decisions {
    /**
     * How a round ended: COMMIT ({@code reason} null) with its certificate (the proposal, the table version and each
     * signer's yes-vote signature), or ABORT with its reason.
     */
    record Outcome(AbortReason reason, Digest proposal, long tableVersion, SortedMap<ClusterId, byte[]> certificate) {
        static Outcome abort(AbortReason reason) {
            return new Outcome(reason, null, 0, Collections.emptySortedMap());
        }

        boolean committed() {
            return reason == null;
        }

        /** The COMMIT of this outcome for {@code target} (an ABORT needs its coordinator's signature first). */
        WireMessage.DecisionFrame commitFrame(RoundId round, ClusterId target, List<ClusterId> visited) {
            return WireMessage.DecisionFrame.commit(round, target, proposal, tableVersion, certificate, visited);
        }
    }

    /** How many decisions a coordinator remembers at most (each for the dedup window). */
    static final int KEPT = 100_000;

    private final DedupWindow<RoundId, Outcome> decided;
    private final StateLog log;
    private final LogTime time;
    private final EventLoop loop;
    private final Map<RoundId, List<ClusterId>> undecided = new LinkedHashMap<>();

    Decisions(long windowNanos, EventLoop loop, StateLog log, LogTime time) {
        this.decided = new DedupWindow<>(windowNanos, KEPT, loop::nanoTime);
        this.loop = loop;
        this.log = log;
        this.time = time;
    }

    /** A round opened with {@code targets}: logged (its PREPAREs wait for the sync). */
    void opened(RoundId round, Collection<ClusterId> targets) {
        if (log.isDurable()) {
            log.append(RecordTypes.ROUND_OPENED, writeOpened(round, targets, time.toWall(loop.nanoTime())));
        }
    }

    /** A round decided: remembered and logged. */
    void decided(RoundId round, Outcome outcome) {
        decided.put(round, outcome);
        if (log.isDurable()) {
            log.append(RecordTypes.ROUND_DECIDED, writeDecided(round, outcome, time.toWall(loop.nanoTime())));
        }
    }

    /** The decision taken in {@code round} inside the window, or null if none is known. */
    Outcome get(RoundId round) {
        return decided.get(round);
    }

    /** Takes one replayed record: its round, or null if it is not a coordinator's. */
    RoundId replay(byte type, byte[] payload) {
        RecordInput in = new RecordInput(payload);
        if (type == RecordTypes.ROUND_OPENED) {
            RoundId round = in.getRound();
            in.getLong();
            int n = in.getInt();
            List<ClusterId> targets = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                targets.add(in.getCluster());
            }
            undecided.put(round, targets);
            return round;
        }
        if (type == RecordTypes.ROUND_DECIDED) {
            RoundId round = in.getRound();
            int reason = in.getInt();
            long writtenAt = time.toLoop(in.getLong());
            Outcome outcome;
            if (reason >= 0) {
                outcome = Outcome.abort(AbortReason.values()[reason]);
            } else {
                Digest proposal = in.getDigest();
                long tableVersion = in.getLong();
                int n = in.getInt();
                SortedMap<ClusterId, byte[]> certificate = new TreeMap<>();
                for (int i = 0; i < n; i++) {
                    certificate.put(in.getCluster(), in.getBytes());
                }
                outcome = new Outcome(null, proposal, tableVersion, certificate);
            }
            decided.put(round, outcome, writtenAt);
            undecided.remove(round);
            return round;
        }
        return null;
    }

    /**
     * After the replay: each round opened before the restart and not decided is decided as ABORT with {@code reason}
     * and logged; {@code tell} gets it with its targets once that is on disk.
     *
     * @return how many rounds ended so
     */
    int endUndecided(AbortReason reason, BiConsumer<RoundId, List<ClusterId>> tell) {
        int n = undecided.size();
        undecided.forEach((round, targets) -> {
            decided(round, Outcome.abort(reason));
            log.afterSync(() -> tell.accept(round, targets));
        });
        undecided.clear();
        return n;
    }

    /** Writes the decisions still remembered and then {@code open}, the rounds open now, for a snapshot. */
    void snapshot(Journal.Sink sink, Map<RoundId, ? extends Collection<ClusterId>> open) {
        decided.forEach((round, outcome, writtenAt) -> sink.record(RecordTypes.ROUND_DECIDED,
                writeDecided(round, outcome, time.toWall(writtenAt)).toBytes()));
        long now = time.toWall(loop.nanoTime());
        open.forEach((round, targets) -> sink.record(RecordTypes.ROUND_OPENED,
                writeOpened(round, targets, now).toBytes()));
    }

    private static RecordWriter writeOpened(RoundId round, Collection<ClusterId> targets, long wallNanos) {
        RecordWriter w = new RecordWriter().putRound(round).putLong(wallNanos).putInt(targets.size());
        targets.forEach(w::putCluster);
        return w;
    }

    private static RecordWriter writeDecided(RoundId round, Outcome outcome, long wallNanos) {
        RecordWriter w = new RecordWriter().putRound(round).putInt(outcome.committed() ? -1
                : outcome.reason().ordinal()).putLong(wallNanos);
        if (outcome.committed()) {
            w.putDigest(outcome.proposal()).putLong(outcome.tableVersion()).putInt(outcome.certificate().size());
            outcome.certificate().forEach((c, signature) -> w.putCluster(c).putBytes(signature));
        }
        return w;
    }
}
