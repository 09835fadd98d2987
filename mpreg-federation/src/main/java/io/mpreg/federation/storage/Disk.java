package io.mpreg.federation.storage;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * A folder of files that a node keeps its write-ahead log in. Files are named by the node (plain names, no path
 * separators); a file's bytes are durable once {@link DiskFile#sync} returned, and its creation, deletion or renaming
 * once {@link #syncDirectory} returned. What was not synced may be lost, or cut anywhere, by a crash.
 *
 * <p>Threading: the node calls a disk only from {@link #writer()} tasks and, before it starts, from its own thread.
 * Errors are {@link java.io.UncheckedIOException}s; the node reports them and stops accepting until writes succeed.
 *
 * @since 0.4.0
 */
public interface Disk extends AutoCloseable {

    /** The names of the files in the folder, in name order. */
    List<String> list();

    /** Opens file {@code name}, creating it empty if it does not exist. */
    DiskFile open(String name);

    /** Deletes file {@code name}, if it exists. */
    void delete(String name);

    /** Renames file {@code from} to {@code to}, replacing {@code to} atomically if it exists. */
    void rename(String from, String to);

    /** Makes the creations, deletions and renamings so far durable. */
    void syncDirectory();

    /** Where the node runs its writes and syncs to this disk: one task at a time, in order, off its event loop. */
    Executor writer();

    /** What this disk is, for messages (a directory's path). */
    String describe();

    /** Releases the folder (and the lock that kept other processes out of it). Idempotent. */
    @Override
    void close();
}
