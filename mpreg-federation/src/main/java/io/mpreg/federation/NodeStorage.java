package io.mpreg.federation;

import io.mpreg.api.NodeId;
import io.mpreg.federation.internal.NodeCore;
import io.mpreg.federation.internal.log.Journal;
import io.mpreg.federation.storage.Disk;
import io.mpreg.federation.storage.StorageStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A node's log, from its side: opens the disk and replays the log into the node before it starts, says how the log
 * is doing, and closes both after the node. Without a disk the node runs in memory and this says so.
 */
final class NodeStorage {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStorage.class);

    /** The log's figures and failure, read together on the loop. */
    record Now(Journal.Figures figures, String failure) {
    }

    private final Supplier<Disk> opener;
    private final long segmentBytes;
    private Disk disk;
    private Journal journal;
    private NodeCore.Recovered recovered;

    /** {@code opener} null: in memory. */
    NodeStorage(Supplier<Disk> opener, long segmentBytes) {
        this.opener = opener;
        this.segmentBytes = segmentBytes;
    }

    boolean durable() {
        return opener != null;
    }

    /** Opens the disk and replays the log into {@code core} on {@code loop}, before anything else happens there. */
    void recover(NodeId id, EventLoop loop, NodeCore core) {
        if (opener == null) {
            LOG.info("{}: runs in memory: what it stores does not survive a restart (give it a data directory)", id);
            return;
        }
        disk = opener.get();
        journal = new Journal(disk, segmentBytes, segmentBytes / 2); // (and four times the last snapshot)
        CompletableFuture<NodeCore.Recovered> done = new CompletableFuture<>();
        Runnable replay = () -> {
            try {
                done.complete(core.recover(journal));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        };
        if (loop.inLoop()) {
            replay.run();
        } else {
            loop.execute(replay);
        }
        try {
            recovered = done.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        Journal.Recovery r = recovered.log();
        LOG.info("{}: recovered {} queued messages from {} ({} records{}{}); {} messages held for undecided votes, "
                        + "{} CAUSAL messages held back, {} own CAUSAL sends to finish, {} undecided rounds ended as "
                        + "ABORT", id, recovered.messages(), disk.describe(), r.records(),
                r.snapshot() ? ", a snapshot" : "",
                r.tornRecords() > 0 ? ", " + r.tornRecords() + " torn record truncated" : "",
                recovered.votesHeld(), recovered.causalHeld(), recovered.causalResent(), recovered.roundsEnded());
    }

    /** The log, once recovered; else null. Its methods are for the loop. */
    Journal journal() {
        return recovered == null ? null : journal;
    }

    /** Where the state is kept and how the log is doing; {@code onLoop} reads the log (null: the node is not running). */
    StorageStatistics statistics(Function<Supplier<Now>, Now> onLoop) {
        if (opener == null) {
            return StorageStatistics.inMemory();
        }
        Journal j = journal;
        NodeCore.Recovered r = recovered;
        if (j == null || r == null) {
            return new StorageStatistics(true, disk == null ? "(not open)" : disk.describe(), 0, 0, 0, 0, 0, 0, 0,
                    0, null);
        }
        Now now = onLoop == null ? new Now(new Journal.Figures(0, 0, 0, 0, 0), null)
                : onLoop.apply(() -> new Now(j.figures(), j.failure()));
        Journal.Figures f = now.figures();
        return new StorageStatistics(true, disk.describe(), r.log().records(), r.messages(), r.log().tornRecords(),
                f.syncs(), f.syncedBytes(), f.syncNanosTotal() / 1_000, f.writeFailures(), f.snapshots(),
                now.failure());
    }

    /**
     * After the node closed (its loop stopped): syncs what the loop appended last, tells {@code core} whether that
     * worked (decisions waiting for it are told then), and lets the disk go.
     */
    void close(NodeCore core) {
        if (journal != null && recovered != null) {
            core.logClosed(journal.close());
        }
        if (disk != null) {
            disk.close();
        }
    }
}
