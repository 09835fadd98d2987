package io.mpreg.federation.internal.log;

import io.mpreg.federation.EventLoop;
import io.mpreg.federation.storage.Disk;
import io.mpreg.federation.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A node's write-ahead log on a {@link Disk}: segments {@code log-N.seg}, preallocated with zeros, holding
 * {@link Frames framed} records; now and then a {@code snapshot-N.snap} of the live state as of a point in segment N,
 * after which the segments before N are deleted (so the log keeps what is live, not its history, and recovery reads
 * that). A snapshot is due once the records since the last one reach both a fixed minimum and
 * {@value #SNAPSHOT_GROWTH} times the last snapshot's size: recovery reads at most about five times the live state (or
 * the minimum), and snapshots write at most a quarter of what the records do.
 *
 * <p>Group commit: records appended on the event loop wait in memory; the first append after a sync posts one flush
 * to the loop, which hands everything appended by then to the disk's writer as one write and one sync. While that
 * runs, appends gather for the next. An action given to {@link #afterSync} runs on the loop once everything appended
 * before it is synced, so nothing is acknowledged before it is on disk, and no sync waits for a timer. A write that
 * fails is retried with backoff; until it succeeds {@link #failure()} says why and the node refuses what it would
 * have to store.
 *
 * <p>Recovery ({@link #recover}) replays the newest snapshot and the records after its point. A record cut short at the
 * tail of the last segment is zeroed, counted and logged; a record failing its checksum anywhere else stops the node
 * with a {@link StorageException} naming the file and the offset.
 */
public final class Journal {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final long RETRY_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long RETRY_MAX_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How many times the last snapshot's size of records come before the next snapshot. */
    static final int SNAPSHOT_GROWTH = 4;

    /** Receives records: replayed ones on recovery, a snapshot's while it is taken. */
    @FunctionalInterface
    public interface Sink {
        void record(byte type, byte[] payload);
    }

    /** Writes the live state as records (on the loop), for a snapshot. */
    @FunctionalInterface
    public interface Snapshotter {
        void write(Sink sink);
    }

    /** What recovery found. */
    public record Recovery(long records, long tornRecords, long tornBytes, int segments, boolean snapshot) {
    }

    /** What the log did, for statistics. */
    public record Figures(long syncs, long syncedBytes, long writeFailures, long snapshots, long syncNanosTotal) {
    }

    private final Disk disk;
    private final long snapshotAfterBytes;
    private EventLoop loop;
    private Snapshotter snapshotter;

    // loop-owned
    private final List<ByteBuffer> pending = new ArrayList<>();
    private List<Runnable> pendingActions = new ArrayList<>();
    private List<Runnable> inFlightActions = new ArrayList<>();
    private boolean flushPosted;
    private boolean snapshotDue;
    private boolean inFlight;
    private long bytesSinceSnapshot;
    private long lastSnapshotBytes;
    private String failure;
    private int failedAttempts;
    private boolean closed;
    /** Whether the writer's last batch failed (written on the writer's thread, read by {@link #close}). */
    private volatile boolean lastWriteFailed;
    /** Batches handed to the writer (loop thread; read by {@link #close}) and batches it wrote and synced. */
    private volatile long batchesFlushed;
    private volatile long batchesWritten;
    private long syncs;
    private long syncedBytes;
    private long writeFailures;
    private long snapshots;
    private long syncNanos;
    private final io.mpreg.consensus.LatencyHistogram syncTimes = new io.mpreg.consensus.LatencyHistogram();

    private final Segments files; // writer-owned once recovered

    /**
     * A log on {@code disk}: segments of {@code segmentBytes}, a snapshot after at least {@code snapshotAfterBytes} of
     * records (and {@value #SNAPSHOT_GROWTH} times the last snapshot's size).
     */
    public Journal(Disk disk, long segmentBytes, long snapshotAfterBytes) {
        if (segmentBytes < 4096 || snapshotAfterBytes < 1024) {
            throw new IllegalArgumentException("segments of " + segmentBytes + " bytes and a snapshot after "
                    + snapshotAfterBytes + ": segments need at least 4096 bytes, and a snapshot at least 1024");
        }
        this.disk = disk;
        this.snapshotAfterBytes = snapshotAfterBytes;
        this.files = new Segments(disk, segmentBytes);
    }

    /** What the log is on, for messages. */
    public String describe() {
        return disk.describe();
    }

    /**
     * Replays the stored records into {@code sink}, in the order they were appended, and makes the log ready to
     * append after them. Call once, before {@link #start}, on the caller's thread.
     *
     * @throws StorageException if a record inside the log fails its checksum or a segment is missing
     */
    public Recovery recover(Sink sink) {
        Segments.Recovered r = files.recover(sink);
        lastSnapshotBytes = r.snapshotBytes();
        bytesSinceSnapshot = r.bytesSinceSnapshot();
        return r.recovery();
    }

    /** Starts appending on {@code eventLoop}; {@code state} writes the live state whenever a snapshot is due. */
    public void start(EventLoop eventLoop, Snapshotter state) {
        this.loop = eventLoop;
        this.snapshotter = state;
    }

    // ---- the event loop's side ----

    /** Appends a record; it is on disk once an {@link #afterSync} action given after it runs. Loop thread. */
    public void append(byte type, byte[] payload) {
        ByteBuffer frame = Frames.encode(type, payload);
        pending.add(frame);
        bytesSinceSnapshot += frame.remaining();
        postFlush();
    }

    /** Runs {@code action} on the loop once every record appended so far is synced (at once if they are). */
    public void afterSync(Runnable action) {
        if (!pending.isEmpty()) {
            pendingActions.add(action);
        } else if (inFlight) {
            inFlightActions.add(action);
        } else {
            action.run();
        }
    }

    /** Why the log cannot write now (the last write failed and is being retried), or null while it writes. */
    public String failure() {
        return failure;
    }

    /** How long each group commit's write and sync took, under the fixed latency bounds. Loop thread. */
    public io.mpreg.api.LatencyBuckets syncBuckets() {
        return syncTimes.buckets();
    }

    public Figures figures() {
        return new Figures(syncs, syncedBytes, writeFailures, snapshots, syncNanos);
    }

    private void postFlush() {
        if (!flushPosted && !inFlight && !closed) {
            flushPosted = true;
            loop.execute(this::flush);
        }
    }

    private void flush() {
        flushPosted = false;
        if (inFlight || pending.isEmpty() || closed) {
            return;
        }
        ByteBuffer batch = drain();
        List<Runnable> actions = pendingActions;
        pendingActions = new ArrayList<>();
        ByteBuffer snapshot = null;
        if (bytesSinceSnapshot >= snapshotDueAt() && snapshotter != null) {
            snapshot = takeSnapshot(); // the state now is the state after the last record of this batch
            lastSnapshotBytes = snapshot.remaining();
            bytesSinceSnapshot = 0;
            snapshotDue = true;
        }
        batchesFlushed++; // (a batch retried after a failure is submitted again, but flushed once)
        submit(batch, snapshot, actions);
    }

    private ByteBuffer drain() {
        int total = 0;
        for (ByteBuffer b : pending) {
            total += b.remaining();
        }
        ByteBuffer batch = ByteBuffer.allocate(total);
        for (ByteBuffer b : pending) {
            batch.put(b);
        }
        pending.clear();
        return batch.flip();
    }

    /** How many bytes of records since the last snapshot make the next one due. */
    private long snapshotDueAt() {
        return Math.max(snapshotAfterBytes, SNAPSHOT_GROWTH * lastSnapshotBytes);
    }

    private ByteBuffer takeSnapshot() {
        Frames.Sequence frames = new Frames.Sequence();
        snapshotter.write(frames::add);
        return frames.buffer();
    }

    private void submit(ByteBuffer batch, ByteBuffer snapshot, List<Runnable> actions) {
        inFlight = true;
        inFlightActions = actions;
        disk.writer().execute(() -> {
            long started = System.nanoTime();
            try {
                files.write(batch.duplicate());
                lastWriteFailed = false;
                batchesWritten++; // the writer's thread alone
            } catch (UncheckedIOException | StorageException e) {
                lastWriteFailed = true;
                loop.execute(() -> failed(batch, snapshot, e));
                return;
            }
            long took = System.nanoTime() - started;
            boolean snapshotted = false;
            if (snapshot != null) {
                try {
                    files.writeSnapshot(snapshot.duplicate());
                    snapshotted = true;
                } catch (UncheckedIOException | StorageException e) {
                    LOG.warn("log {}: a snapshot failed ({}); the log keeps its segments and tries again",
                            disk.describe(), e.getMessage());
                }
            }
            boolean taken = snapshotted;
            loop.execute(() -> written(batch.remaining(), taken, took));
        });
    }

    private void written(int bytes, boolean snapshotted, long took) {
        boolean snapshot = snapshotDue;
        snapshotDue = false;
        inFlight = false;
        failedAttempts = 0;
        if (failure != null) {
            LOG.warn("log {}: writes succeed again", disk.describe());
            failure = null;
        }
        syncs++;
        syncedBytes += bytes;
        syncNanos += took;
        syncTimes.record(took);
        snapshots += snapshotted ? 1 : 0;
        if (!snapshotted && snapshot) {
            // due again at the next flush
            bytesSinceSnapshot = Math.max(bytesSinceSnapshot, snapshotDueAt());
        }
        List<Runnable> done = inFlightActions;
        inFlightActions = new ArrayList<>();
        done.forEach(Runnable::run);
        if (!pending.isEmpty() && !flushPosted) {
            flush();
        }
    }

    private void failed(ByteBuffer batch, ByteBuffer snapshot, RuntimeException e) {
        writeFailures++;
        failedAttempts++;
        if (failure == null) {
            LOG.error("log {}: a write failed ({}); refusing what would have to be stored until writes succeed",
                    disk.describe(), reason(e));
        }
        failure = "cannot write its log (" + reason(e) + ")";
        long delay = Math.min(RETRY_MAX_NANOS, RETRY_MIN_NANOS << Math.min(failedAttempts - 1, 10));
        List<Runnable> actions = inFlightActions;
        loop.schedule(delay, () -> {
            if (!closed) {
                submit(batch, snapshot, actions);
            }
        });
    }

    /**
     * Stops: syncs what was appended (the loop must have stopped producing), waits for the writer and closes the
     * files. The disk stays open; its owner closes it.
     *
     * @return whether everything appended is on disk (false if a write failed: nothing after it was written)
     */
    public boolean close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        disk.writer().execute(() -> done.complete(null)); // after the write in flight, if any
        done.join();
        closed = true;
        // every batch flushed was written: not only "the last write did not fail". A writer that runs the task above
        // before the one in flight (the simulator's, once its disk crashed) would otherwise have the node report a
        // decision whose record never reached the disk (found by the simulator, seed 902)
        boolean synced = !lastWriteFailed && batchesWritten == batchesFlushed;
        if (!synced) {
            LOG.warn("log {}: closed with a write that failed or did not finish; {} later records were not written",
                    disk.describe(), pending.size());
        } else if (!pending.isEmpty()) {
            ByteBuffer batch = drain();
            CompletableFuture<Void> last = new CompletableFuture<>();
            disk.writer().execute(() -> {
                try {
                    files.write(batch);
                    last.complete(null);
                } catch (RuntimeException e) {
                    last.completeExceptionally(e);
                }
            });
            try {
                last.join();
            } catch (RuntimeException e) {
                // nothing in them was acknowledged (acknowledgements wait for their sync)
                LOG.warn("log {}: the last records could not be written on close ({})", disk.describe(),
                        e.getMessage());
                synced = false;
            }
        }
        CompletableFuture<Void> closedFiles = new CompletableFuture<>();
        disk.writer().execute(() -> {
            files.close();
            closedFiles.complete(null);
        });
        closedFiles.join();
        return synced;
    }

    /** What went wrong, in a few words: the I/O error's own message after what was being done. */
    private static String reason(RuntimeException e) {
        Throwable cause = e.getCause();
        if (cause == null || cause.getMessage() == null) {
            return e.getMessage();
        }
        return e.getMessage() == null || e.getMessage().equals(cause.toString()) ? cause.getMessage()
                : e.getMessage() + ": " + cause.getMessage();
    }
}
