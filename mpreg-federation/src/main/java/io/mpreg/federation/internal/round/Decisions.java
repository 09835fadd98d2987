package io.mpreg.federation.internal.round;

import io.mpreg.api.AbortReason;
import io.mpreg.api.ClusterId;
import io.mpreg.api.RoundId;
import io.mpreg.federation.EventLoop;
import io.mpreg.federation.internal.DedupWindow;
import io.mpreg.federation.internal.log.Journal;
import io.mpreg.federation.internal.log.LogTime;
import io.mpreg.federation.internal.log.RecordInput;
import io.mpreg.federation.internal.log.RecordTypes;
import io.mpreg.federation.internal.log.RecordWriter;
import io.mpreg.federation.internal.log.StateLog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * What a coordinator remembers of its rounds, in memory and in the node's log: each round it opened (with its
 * targets) and each decision, the decisions for the dedup window so a target that asks again is answered. Replayed
 * after a restart, the rounds opened and not decided are {@link #endUndecided ended}. Loop-thread only.
 */
final class Decisions {
    /** How many decisions a coordinator remembers at most (each for the dedup window). */
    static final int KEPT = 100_000;

    private final DedupWindow<RoundId, Optional<AbortReason>> decided;
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

    /** A round decided: COMMIT when {@code reason} is null; remembered and logged. */
    void decided(RoundId round, AbortReason reason) {
        decided.put(round, Optional.ofNullable(reason));
        if (log.isDurable()) {
            log.append(RecordTypes.ROUND_DECIDED, writeDecided(round, reason, time.toWall(loop.nanoTime())));
        }
    }

    /** The decision taken in {@code round} inside the window (empty: COMMIT), or null if none is known. */
    Optional<AbortReason> get(RoundId round) {
        return decided.get(round);
    }

    /** Takes one replayed record; false if it is not a coordinator's. */
    boolean replay(byte type, byte[] payload) {
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
            return true;
        }
        if (type == RecordTypes.ROUND_DECIDED) {
            RoundId round = in.getRound();
            int reason = in.getInt();
            decided.put(round, Optional.ofNullable(reason < 0 ? null : AbortReason.values()[reason]),
                    time.toLoop(in.getLong()));
            undecided.remove(round);
            return true;
        }
        return false;
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
            decided(round, reason);
            log.afterSync(() -> tell.accept(round, targets));
        });
        undecided.clear();
        return n;
    }

    /** Writes the decisions still remembered and then {@code open}, the rounds open now, for a snapshot. */
    void snapshot(Journal.Sink sink, Map<RoundId, ? extends Collection<ClusterId>> open) {
        decided.forEach((round, outcome, writtenAt) -> sink.record(RecordTypes.ROUND_DECIDED,
                writeDecided(round, outcome.orElse(null), time.toWall(writtenAt)).toBytes()));
        long now = time.toWall(loop.nanoTime());
        open.forEach((round, targets) -> sink.record(RecordTypes.ROUND_OPENED,
                writeOpened(round, targets, now).toBytes()));
    }

    private static RecordWriter writeOpened(RoundId round, Collection<ClusterId> targets, long wallNanos) {
        RecordWriter w = new RecordWriter().putRound(round).putLong(wallNanos).putInt(targets.size());
        targets.forEach(w::putCluster);
        return w;
    }

    private static RecordWriter writeDecided(RoundId round, AbortReason reason, long wallNanos) {
        return new RecordWriter().putRound(round).putInt(reason == null ? -1 : reason.ordinal()).putLong(wallNanos);
    }
}
