package io.mpreg.federation.internal;

import io.mpreg.consensus.LatencyHistogram;

import java.time.Duration;
import io.mpreg.api.ClusterId;
import io.mpreg.consensus.ConsensusStatistics;
import io.mpreg.federation.FederationStatistics;
import io.mpreg.federation.LinkStatus;

import java.time.Duration;
import java.util.SortedMap;
import java.util.concurrent.atomic.LongAdder;

/** The node's counters: written on the loop, read from any thread. */
public final class Counters {
    public final LongAdder sent = new LongAdder();
    public final LongAdder succeeded = new LongAdder();
    public final LongAdder failed = new LongAdder();
    public final LongAdder retries = new LongAdder();
    public final LongAdder acks = new LongAdder();
    public final LongAdder nacks = new LongAdder();
    public final LongAdder delivered = new LongAdder();
    public final LongAdder duplicates = new LongAdder();
    public final LongAdder refused = new LongAdder();
    public final LongAdder heldBack = new LongAdder();
    public final LongAdder overflow = new LongAdder();
    public final LongAdder relayed = new LongAdder();
    public final LongAdder noRoute = new LongAdder();
    public final LongAdder undecodable = new LongAdder();
    public final LongAdder votesRejected = new LongAdder();
    public final LongAdder replayed = new LongAdder();
    public final LongAdder stale = new LongAdder();
    public final LongAdder admissionRefused = new LongAdder();
    /** Frames refused as forged (see FederationStatistics.forgeriesRefused). */
    public final LongAdder forgeriesRefused = new LongAdder();
    /** PREPAREs of rounds this cluster may have voted in and no longer remembers (FederationStatistics). */
    public final LongAdder preparesRefused = new LongAdder();
    public final LongAdder pluginFailures = new LongAdder();
    /** Batch frames sent, and the messages they carried (Links). */
    public final LongAdder batchesSent = new LongAdder();
    public final LongAdder batchedMessages = new LongAdder();
    public final LongAdder sharedRounds = new LongAdder();
    public final LongAdder sharedRoundMessages = new LongAdder();
    /** Times a transport's queue for a peer was full and that peer's traffic was parked (Links). */
    public final LongAdder congested = new LongAdder();
    /** Sends refused because a peer's kept messages reached their bound (Links). */
    public final LongAdder keptFull = new LongAdder();
    /** Times a transport thread found the loop's inbound bound reached and waited (NodeCore). */
    public final LongAdder inboundFull = new LongAdder();
    private final LatencyHistogram ackLatency = new LatencyHistogram();
    private final java.util.concurrent.ConcurrentHashMap<io.mpreg.api.ClusterId, LongAdder> suspects =
            new java.util.concurrent.ConcurrentHashMap<>();

    public void suspected(io.mpreg.api.ClusterId cluster) {
        suspects.computeIfAbsent(cluster, c -> new LongAdder()).increment();
    }

    /** Faults proved against each cluster in rounds this node coordinated. */
    public java.util.SortedMap<io.mpreg.api.ClusterId, Long> suspects() {
        java.util.SortedMap<io.mpreg.api.ClusterId, Long> out = new java.util.TreeMap<>();
        suspects.forEach((c, n) -> out.put(c, n.sum()));
        return out;
    }

    /** Send-to-acknowledgement latencies under the fixed latency bounds. */
    public io.mpreg.api.LatencyBuckets ackBuckets() {
        synchronized (ackLatency) {
            return ackLatency.buckets();
        }
    }

    public void recordAckLatency(long nanos) {
        synchronized (ackLatency) {
            ackLatency.record(nanos);
        }
    }

    /** How many completions the latency histogram holds. */
    public long completedSamples() {
        synchronized (ackLatency) {
            return ackLatency.count();
        }
    }

    public Duration ackLatency(double percentile) {
        synchronized (ackLatency) {
            return ackLatency.count() == 0 ? Duration.ZERO : ackLatency.percentile(percentile);
        }
    }

    public long sent() {
        return sent.sum();
    }

    public long succeeded() {
        return succeeded.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long retries() {
        return retries.sum();
    }

    public long acks() {
        return acks.sum();
    }

    public long nacks() {
        return nacks.sum();
    }

    public long delivered() {
        return delivered.sum();
    }

    public long duplicates() {
        return duplicates.sum();
    }

    public long refused() {
        return refused.sum();
    }

    public long heldBack() {
        return heldBack.sum();
    }

    public long overflow() {
        return overflow.sum();
    }

    public long relayed() {
        return relayed.sum();
    }

    public long noRoute() {
        return noRoute.sum();
    }

    public long undecodable() {
        return undecodable.sum();
    }

    public long votesRejected() {
        return votesRejected.sum();
    }

    public long replayed() {
        return replayed.sum();
    }

    public long stale() {
        return stale.sum();
    }

    public long admissionRefused() {
        return admissionRefused.sum();
    }

    public long pluginFailures() {
        return pluginFailures.sum();
    }

    /**
     * The node's figures now, from these counters, the consensus engine's ({@code null} when the node is not running)
     * and the links' states.
     */
    public FederationStatistics snapshot(ConsensusStatistics c, SortedMap<ClusterId, LinkStatus> links,
                                         String storageFailure, int roundsInDoubt) {
        long aborted = c == null ? 0 : c.aborts().values().stream().mapToLong(Long::longValue).sum();
        return new FederationStatistics(sent(), succeeded(), failed(), retries(), acks(), nacks(), delivered(),
                duplicates(), refused(), heldBack(), overflow(), relayed(), noRoute(), undecodable(), ackLatency(50),
                ackLatency(99), c == null ? 0 : c.commits(), aborted, c == null ? 0 : c.byzantineFaultsDetected(),
                c == null ? 0 : c.openRounds(), admissionRefused(), roundsInDoubt,
                c == null ? Duration.ZERO : c.p50DecisionTime(), c == null ? Duration.ZERO : c.p99DecisionTime(),
                suspects(), links, votesRejected(), replayed(), stale(), pluginFailures(), storageFailure,
                forgeriesRefused.sum(), preparesRefused.sum(), batchesSent.sum(), batchedMessages.sum(),
                congested.sum(), keptFull.sum(), inboundFull.sum(), sharedRounds.sum(), sharedRoundMessages.sum());
    }
}
