package io.mpreg.federation.storage;

/**
 * Where a node keeps its state and how its log is doing.
 *
 * @param durable            whether the node keeps a write-ahead log (false: it runs in memory, and nothing it
 *                           stores survives a restart)
 * @param location           the log's directory (or what a custom {@link Disk} says it is); "memory" in memory
 * @param recoveredRecords   records replayed when the node started
 * @param recoveredMessages  queued messages that came back when the node started
 * @param tornRecords        records found cut short by a crash at the log's tail when the node started (truncated)
 * @param syncs              group commits: writes followed by a sync, each covering whatever was appended meanwhile
 * @param syncedBytes        bytes those wrote
 * @param syncMicrosTotal    time those took, summed (divide by {@code syncs} for the mean)
 * @param writeFailures      writes that failed (each is retried until it succeeds)
 * @param snapshots          snapshots of the live state taken (each lets the log drop the segments before it)
 * @param failure            why the log cannot write now, or null while it writes; sends are refused meanwhile
 * @since 0.4.0
 */
public record StorageStatistics(boolean durable, String location, long recoveredRecords, long recoveredMessages,
                                long tornRecords, long syncs, long syncedBytes, long syncMicrosTotal,
                                long writeFailures, long snapshots, String failure) {

    /** A node without a log. */
    public static StorageStatistics inMemory() {
        return new StorageStatistics(false, "memory", 0, 0, 0, 0, 0, 0, 0, 0, null);
    }
}
