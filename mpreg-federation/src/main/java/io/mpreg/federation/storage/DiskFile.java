package io.mpreg.federation.storage;

import java.nio.ByteBuffer;

/**
 * One open file of a {@link Disk}. Not thread-safe: the node uses it from one task at a time.
 *
 * @since 0.4.0
 */
public interface DiskFile extends AutoCloseable {

    /** Its name in the disk's folder. */
    String name();

    /** Its length in bytes. */
    long size();

    /** Reads from {@code position} into {@code dst} as far as it has room or the file has bytes; -1 at the end. */
    int read(long position, ByteBuffer dst);

    /** Writes all of {@code src} at {@code position} (extending the file if needed). */
    void write(long position, ByteBuffer src);

    /** Makes everything written to this file so far durable. */
    void sync();

    /** Cuts the file to {@code size} bytes. */
    void truncate(long size);

    @Override
    void close();
}
