package io.mpreg.federation;

import io.mpreg.api.LatencyBuckets;

import java.util.Objects;

/**
 * A node's latencies, each counted under the same fixed bounds on every node (25 µs to 60 s), so histograms of several
 * nodes add up: {@code histogram_quantile} over a federation's {@code /metrics} is a real quantile, which
 * percentiles computed on each node are not.
 *
 * @param ack           from a send's first transmission to its acknowledgement (every guarantee that is acknowledged)
 * @param decision      from opening a voted round this node coordinated to its decision
 * @param queueWait     from a message becoming visible in one of this node's queues to its first hand-over to a
 *                      consumer
 * @param logSync       each group commit of the node's log: its write and sync (none without a log)
 * @since 0.5.0
 */
public record Latencies(LatencyBuckets ack, LatencyBuckets decision, LatencyBuckets queueWait,
                        LatencyBuckets logSync) {

    public Latencies {
        Objects.requireNonNull(ack, "ack");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(queueWait, "queueWait");
        Objects.requireNonNull(logSync, "logSync");
    }

    /** Nothing recorded (a node not started). */
    public static Latencies none() {
        LatencyBuckets empty = LatencyBuckets.empty();
        return new Latencies(empty, empty, empty, empty);
    }
}
