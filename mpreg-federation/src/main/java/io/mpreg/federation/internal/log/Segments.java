package io.mpreg.federation.internal.log;

import io.mpreg.federation.storage.Disk;
import io.mpreg.federation.storage.DiskFile;
import io.mpreg.federation.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of a {@link Journal}, on its disk: segments {@code log-N.seg} preallocated with zeros, snapshots
 * {@code snapshot-N.snap} starting with their point in segment N. Reads them back on recovery (the caller's thread);
 * after that, only the disk's writer thread uses this.
 */
final class Segments {
    private static final Logger LOG = LoggerFactory.getLogger(Segments.class);
    private static final String SEGMENT = "log-";
    private static final String SNAPSHOT = "snapshot-";
    private static final String TEMPORARY = "snapshot.tmp";
    private static final int ZEROS = 1 << 20;
    /** A snapshot's first record (never given to a {@link Journal.Sink}): the segment and offset its state is as of. */
    private static final byte SNAPSHOT_POINT = (byte) 0x7F;

    /** What recovery found, and what the journal needs to know to go on: the last snapshot's size, the bytes since. */
    record Recovered(Journal.Recovery recovery, long snapshotBytes, long bytesSinceSnapshot) {
    }

    private final Disk disk;
    private final long segmentBytes;
    private DiskFile segment;
    private long segmentNumber;
    private long position;
    private long allocated;

    Segments(Disk disk, long segmentBytes) {
        this.disk = disk;
        this.segmentBytes = segmentBytes;
    }

    /**
     * Replays the newest snapshot and the records after its point into {@code sink}, in the order they were appended,
     * and gets ready to append after them.
     *
     * @throws StorageException if a record inside the log fails its checksum or a segment is missing
     */
    Recovered recover(Journal.Sink sink) {
        disk.delete(TEMPORARY);
        List<String> files = disk.list();
        long snapshotNumber = -1;
        List<Long> segments = new ArrayList<>();
        for (String name : files) {
            if (name.startsWith(SNAPSHOT) && name.endsWith(".snap")) {
                snapshotNumber = Math.max(snapshotNumber, number(name, SNAPSHOT));
            } else if (name.startsWith(SEGMENT) && name.endsWith(".seg")) {
                segments.add(number(name, SEGMENT));
            }
        }
        long records = 0;
        long snapshotBytes = 0;
        long[] point = {Math.max(snapshotNumber, 0), 0};
        if (snapshotNumber >= 0) {
            Replayed snapshot = replay(snapshotName(snapshotNumber), 0, (type, payload) -> {
                if (type == SNAPSHOT_POINT) {
                    java.nio.ByteBuffer b = ByteBuffer.wrap(payload);
                    point[0] = b.getLong();
                    point[1] = b.getLong();
                } else {
                    sink.record(type, payload);
                }
            }, false);
            records += snapshot.records;
            snapshotBytes = snapshot.end;
        }
        long first = point[0];
        List<Long> live = new ArrayList<>();
        for (long n : segments) {
            if (n < first) {
                disk.delete(segmentName(n)); // its deletion after the snapshot was cut short
            } else {
                live.add(n);
            }
        }
        for (int i = 0; i < live.size(); i++) {
            if (live.get(i) != first + i) {
                throw new StorageException("log segment " + disk.describe() + "/" + segmentName(first + i)
                        + " is missing (found " + segmentName(live.get(i)) + " after it)");
            }
        }
        long torn = 0;
        long tornBytes = 0;
        for (int i = 0; i < live.size(); i++) {
            boolean last = i == live.size() - 1;
            Replayed r = replay(segmentName(live.get(i)), i == 0 ? point[1] : 0, sink, last);
            records += r.records;
            if (last) {
                segment = r.file;
                segmentNumber = live.get(i);
                position = r.end;
                allocated = Math.max(segment.size(), segmentBytes);
                torn = r.torn ? 1 : 0;
                tornBytes = r.tornBytes;
            }
        }
        if (segment == null) {
            openSegment(first, segmentBytes);
        }
        return new Recovered(new Journal.Recovery(records, torn, tornBytes, live.size(), snapshotNumber >= 0),
                snapshotBytes, (segmentNumber - first) * segmentBytes + position - point[1]);
    }

    private record Replayed(long records, boolean torn, long tornBytes, long end, DiskFile file) {
    }

    private Replayed replay(String name, long start, Journal.Sink sink, boolean tail) {
        DiskFile file = disk.open(name);
        RecordReader reader = new RecordReader(file, start);
        long records = 0;
        for (RecordReader.Entry e = reader.next(); e != null; e = reader.next()) {
            sink.record(e.type(), e.payload());
            records++;
        }
        String where = disk.describe() + "/" + name + " at offset " + reader.validEnd();
        if (reader.end() == RecordReader.End.CORRUPT || reader.end() == RecordReader.End.TORN && !tail) {
            file.close();
            throw new StorageException("the log is damaged: " + reader.damage() + " in " + where
                    + "; the node does not start on a damaged log (restore the directory, or move it away to start "
                    + "empty)");
        }
        long tornBytes = 0;
        if (reader.end() == RecordReader.End.TORN) {
            tornBytes = reader.garbageEnd() - reader.validEnd();
            file.write(reader.validEnd(), ByteBuffer.allocate((int) tornBytes));
            file.sync();
            LOG.warn("log {}: a record cut short by a crash ({}, {} bytes) in {}; truncated there", disk.describe(),
                    reader.damage(), tornBytes, where);
        }
        if (!tail) {
            file.close();
        }
        return new Replayed(records, reader.end() == RecordReader.End.TORN, tornBytes, reader.validEnd(), file);
    }

    /** Appends {@code batch} after the last record and syncs it; rolls to a new segment when it does not fit. */
    void write(ByteBuffer batch) {
        if (position > 0 && position + batch.remaining() > allocated) {
            segment.close();
            openSegment(segmentNumber + 1, Math.max(segmentBytes, batch.remaining()));
        } else if (position + batch.remaining() > allocated) {
            preallocate(segment, allocated, batch.remaining());
            allocated = batch.remaining();
        }
        int length = batch.remaining();
        segment.write(position, batch);
        segment.sync();
        position += length;
    }

    private void openSegment(long number, long bytes) {
        DiskFile file = disk.open(segmentName(number));
        preallocate(file, 0, bytes);
        file.sync();
        disk.syncDirectory();
        segment = file;
        segmentNumber = number;
        position = 0;
        allocated = bytes;
    }

    private static void preallocate(DiskFile file, long from, long to) {
        ByteBuffer zeros = ByteBuffer.allocate(ZEROS);
        for (long at = from; at < to; at += ZEROS) {
            zeros.clear().limit((int) Math.min(ZEROS, to - at));
            file.write(at, zeros);
        }
    }

    /**
     * Writes snapshot-N, the state as of the end of the batch just written (at {@code position} in segment N), then
     * deletes what it replaces: the segments before N and the older snapshots.
     */
    void writeSnapshot(ByteBuffer state) {
        DiskFile tmp = disk.open(TEMPORARY);
        tmp.truncate(0);
        ByteBuffer point = Frames.encode(SNAPSHOT_POINT, ByteBuffer.allocate(16).putLong(segmentNumber)
                .putLong(position).array());
        long pointBytes = point.remaining();
        tmp.write(0, point);
        tmp.write(pointBytes, state);
        tmp.sync();
        tmp.close();
        disk.rename(TEMPORARY, snapshotName(segmentNumber));
        disk.syncDirectory();
        for (String name : disk.list()) {
            if (name.startsWith(SEGMENT) && name.endsWith(".seg") && number(name, SEGMENT) < segmentNumber
                    || name.startsWith(SNAPSHOT) && name.endsWith(".snap") && number(name, SNAPSHOT) < segmentNumber) {
                disk.delete(name);
            }
        }
        disk.syncDirectory();
    }

    /** Closes the segment being written (the writer's last task). */
    void close() {
        if (segment != null) {
            segment.close();
        }
    }

    private static String segmentName(long n) {
        return SEGMENT + String.format("%016x", n) + ".seg";
    }

    private static String snapshotName(long n) {
        return SNAPSHOT + String.format("%016x", n) + ".snap";
    }

    private static long number(String name, String prefix) {
        String hex = name.substring(prefix.length(), name.lastIndexOf('.'));
        try {
            return Long.parseUnsignedLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new StorageException("unexpected file " + name + " in the log directory");
        }
    }
}
