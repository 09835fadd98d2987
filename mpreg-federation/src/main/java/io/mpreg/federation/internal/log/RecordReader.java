package io.mpreg.federation.internal.log;

import io.mpreg.federation.storage.DiskFile;

import java.nio.ByteBuffer;

/**
 * Reads the records of one log file from the start, and says how the file ends: cleanly (the end of the file, or a
 * zero length where the written part of a preallocated file ends), cut short by a crash (a torn record: see
 * {@link Frames}; only at the tail, with nothing but zeros after it), or damaged (anything else). A crash is taken to
 * keep a prefix of the last write (the rest reads as the preallocated zeros). Streams through a window, so a file of
 * any size is read in bounded memory.
 */
final class RecordReader {

    /** How a file ended. */
    enum End { CLEAN, TORN, CORRUPT }

    /** One record: its type, payload and offset in the file. */
    record Entry(byte type, byte[] payload, long offset) {
    }

    private final DiskFile file;
    private final long size;
    private byte[] window = new byte[1 << 20];
    private long windowStart;
    private int windowLength;
    private long position;
    private End end;
    private String damage;
    private long garbageEnd;

    RecordReader(DiskFile file) {
        this(file, 0);
    }

    /** Reads {@code file} from {@code start}, a record boundary. */
    RecordReader(DiskFile file, long start) {
        this.file = file;
        this.size = file.size();
        this.position = start;
    }

    /** The next record, or null at the end ({@link #end()} then says how the file ended). */
    Entry next() {
        if (end != null) {
            return null;
        }
        long at = position;
        if (!available(at, 4)) {
            return finish(zeroFrom(at) ? End.CLEAN : End.TORN, at, "a partial length field");
        }
        int length = intAt(at);
        if (length == 0) {
            long nonZero = firstNonZero(at);
            if (nonZero < 0) {
                return finish(End.CLEAN, at, null);
            }
            return finish(End.CORRUPT, at, "a zero length followed by data at offset " + nonZero);
        }
        if (length < 0 || length > Frames.MAX_BODY) {
            return finish(firstNonZero(at + 4) < 0 ? End.TORN : End.CORRUPT, at, "an impossible length " + length);
        }
        int total = Frames.OVERHEAD + length;
        if (!available(at, total)) {
            // files are preallocated to hold every record written to them: this is damage, not a crash
            return finish(End.CORRUPT, at, "a length of " + length + " running past the end of the file");
        }
        int offset = (int) (at - windowStart);
        byte marker = window[offset + total - 1];
        if (intAt(at + 4) != Frames.crc(window, offset, length) || marker != Frames.MARKER) {
            boolean cutShort = marker == 0 && firstNonZero(at + total) < 0;
            return finish(cutShort ? End.TORN : End.CORRUPT, at, "a record failing its checksum");
        }
        byte[] payload = new byte[length - 1];
        System.arraycopy(window, offset + Frames.HEADER + 1, payload, 0, payload.length);
        position = at + total;
        return new Entry(window[offset + Frames.HEADER], payload, at);
    }

    /** How the file ended; null until {@link #next()} returned null. */
    End end() {
        return end;
    }

    /** Where the valid records end (the offset of the first byte after the last good record). */
    long validEnd() {
        return position;
    }

    /** What was wrong at {@link #validEnd()}, for messages; null for a clean end. */
    String damage() {
        return damage;
    }

    /** For a torn end: one past the last non-zero byte (what recovery zeroes). */
    long garbageEnd() {
        return garbageEnd;
    }

    private Entry finish(End how, long at, String what) {
        end = how;
        position = at;
        damage = how == End.CLEAN ? null : what;
        if (how == End.TORN) {
            garbageEnd = lastNonZeroEnd(at);
        }
        return null;
    }

    private boolean available(long at, int n) {
        if (at >= windowStart && at + n <= windowStart + windowLength) {
            return true;
        }
        if (at + n > size) {
            return false;
        }
        if (n > window.length) {
            window = new byte[n];
        }
        windowStart = at;
        windowLength = 0;
        ByteBuffer dst = ByteBuffer.wrap(window);
        while (windowLength < window.length && windowStart + windowLength < size) {
            int read = file.read(windowStart + windowLength, dst);
            if (read <= 0) {
                break;
            }
            windowLength += read;
        }
        return windowLength >= n;
    }

    private int intAt(long at) {
        int i = (int) (at - windowStart);
        return (window[i] & 0xff) << 24 | (window[i + 1] & 0xff) << 16 | (window[i + 2] & 0xff) << 8
                | window[i + 3] & 0xff;
    }

    private boolean zeroFrom(long at) {
        return firstNonZero(at) < 0;
    }

    /** The offset of the first non-zero byte at or after {@code from}, or -1. */
    private long firstNonZero(long from) {
        for (long at = from; at < size; ) {
            int chunk = (int) Math.min(window.length, size - at);
            if (!available(at, chunk)) {
                return -1;
            }
            int base = (int) (at - windowStart);
            for (int i = 0; i < chunk; i++) {
                if (window[base + i] != 0) {
                    return at + i;
                }
            }
            at += chunk;
        }
        return -1;
    }

    private long lastNonZeroEnd(long from) {
        long last = from;
        for (long at = from; at < size; ) {
            int chunk = (int) Math.min(window.length, size - at);
            if (!available(at, chunk)) {
                break;
            }
            int base = (int) (at - windowStart);
            for (int i = 0; i < chunk; i++) {
                if (window[base + i] != 0) {
                    last = at + i + 1;
                }
            }
            at += chunk;
        }
        return last;
    }
}
