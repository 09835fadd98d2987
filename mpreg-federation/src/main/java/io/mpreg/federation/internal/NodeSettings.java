package io.mpreg.federation.internal;

import io.mpreg.federation.internal.round.VoteSigning;
import io.mpreg.api.NodeId;
import io.mpreg.api.spi.fault.FaultDetector;
import io.mpreg.api.spi.weighting.WeightingStrategy;
import io.mpreg.consensus.WeightTable;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * Everything the protocol core needs besides the transport, validated by the public builder.
 *
 * @param federation       the federation's name (hellos from other federations are ignored)
 * @param node             this node
 * @param table            the weight table this node counts with (its version is announced in hellos)
 * @param weighting        turns configured weights and records into effective weights (voted guarantees)
 * @param detectors        the fault detectors that watch every voting round
 * @param random           the node's only source of randomness (message ids, retry jitter)
 * @param wallClock        wall-clock time for message deadlines
 * @param subscribers      where subscriber callbacks run
 * @param gossipInterval   how often link state is refreshed; link state expires after five intervals
 * @param retryMin         first retry delay of an unacknowledged message
 * @param retryMax         cap of the exponential retry backoff
 * @param dedupWindow      how long delivered message ids are remembered
 * @param dedupCapacity    how many delivered message ids are remembered at most
 * @param holdBackCapacity CAUSAL messages held back at most (beyond, the newest is refused), and undecided voted
 *                         messages a target holds at most (beyond, it votes no)
 * @param maxConcurrentRounds voted rounds this node coordinates at once
 * @param maxWaitingRounds    voted rounds waiting for admission; beyond, requests are refused
 * @param defaultTimeout      the timeout of sends that leave it to the node, or null to derive it ({@link Timeouts})
 * @param peers               the gateways this node is configured with: it links (exchanges hellos) with these only,
 *                            even if its transport reports others (a JGroups view holds every member of the channel)
 * @param signing             how votes are signed and checked
 * @param signer              where votes are signed (off the event loop)
 * @param completions         where the futures the node hands to applications complete (off the event loop, so an
 *                            application's dependent stages never run on the protocol thread)
 * @param weightProposers     the clusters whose proposed weight tables this node approves on its own
 * @param voteMemory          how long this cluster remembers each vote it cast
 * @param voteMemoryCapacity  how many of its votes it remembers at most
 * @param batching            whether frames to one peer carry several messages ({@code Links})
 * @param inboundLimit        messages from the network the loop holds at most; beyond, transport threads wait
 */
public record NodeSettings(String federation, NodeId node, WeightTable table, WeightingStrategy weighting,
                           List<FaultDetector> detectors, RandomGenerator random,
                           Clock wallClock, Executor subscribers, Duration gossipInterval, Duration retryMin,
                           Duration retryMax, Duration dedupWindow, long dedupCapacity, int holdBackCapacity,
                           int maxConcurrentRounds, int maxWaitingRounds, Duration defaultTimeout,
                           java.util.Set<NodeId> peers, VoteSigning signing, Executor signer,
                           Executor completions, java.util.Set<io.mpreg.api.ClusterId> weightProposers,
                           Duration voteMemory, int voteMemoryCapacity, boolean batching,
                           int inboundLimit) {

    /**
     * A future that completes as {@code onLoop} does, but on the {@link #completions} executor. (Not
     * {@code whenCompleteAsync}: it would hand dependents a failure wrapped in a {@code CompletionException}, and
     * {@code thenApplyAsync} completes a failure on the completing thread, the loop.)
     */
    public <T> java.util.concurrent.CompletableFuture<T> offLoop(java.util.concurrent.CompletableFuture<T> onLoop) {
        java.util.concurrent.CompletableFuture<T> out = new java.util.concurrent.CompletableFuture<>();
        onLoop.whenComplete((value, failure) -> completions.execute(() -> {
            if (failure != null) {
                out.completeExceptionally(failure);
            } else {
                out.complete(value);
            }
        }));
        return out;
    }

    /** The delay before retry {@code attempt}: capped exponential backoff with "equal jitter" from {@link #random}. */
    public long retryDelay(int attempt) {
        long min = retryMin.toNanos();
        long max = retryMax.toNanos();
        long base = min << Math.min(Math.max(attempt - 1, 0), 20);
        base = base <= 0 || base > max ? max : base;
        return base / 2 + random.nextLong(base / 2 + 1);
    }
}
