package io.mpreg.federation.queue;

import io.mpreg.api.ClusterId;

/**
 * A queue somewhere in the federation, as discovery reports it.
 *
 * @param cluster the cluster that owns the queue (its messages are stored there)
 * @param name    the queue's name
 * @param type    how it orders messages
 * @since 0.1.0
 */
public record QueueInfo(ClusterId cluster, String name, QueueType type) implements Comparable<QueueInfo> {
    public QueueInfo {
        if (cluster == null || name == null || type == null) {
            throw new IllegalArgumentException("queue info needs a cluster, a name and a type, got " + cluster + ", "
                    + name + ", " + type);
        }
    }

    /** By name, then cluster. */
    @Override
    public int compareTo(QueueInfo o) {
        int c = name.compareTo(o.name);
        return c != 0 ? c : cluster.compareTo(o.cluster);
    }
}
