package io.mpreg.federation.internal;

import io.mpreg.api.NodeId;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * Everything the protocol core needs besides the transport, validated by the public builder.
 *
 * @param federation       the federation's name (hellos from other federations are ignored)
 * @param node             this node
 * @param tableVersion     the weight table's version, announced in hellos
 * @param random           the node's only source of randomness (message ids, retry jitter)
 * @param wallClock        wall-clock time for message deadlines
 * @param subscribers      where subscriber callbacks run
 * @param gossipInterval   how often link state is refreshed; link state expires after five intervals
 * @param retryMin         first retry delay of an unacknowledged message
 * @param retryMax         cap of the exponential retry backoff
 * @param dedupWindow      how long delivered message ids are remembered
 * @param dedupCapacity    how many delivered message ids are remembered at most
 * @param holdBackCapacity CAUSAL messages held back at most; beyond, the newest is refused
 */
public record NodeSettings(String federation, NodeId node, long tableVersion, RandomGenerator random,
                           Clock wallClock, Executor subscribers, Duration gossipInterval, Duration retryMin,
                           Duration retryMax, Duration dedupWindow, long dedupCapacity, int holdBackCapacity) {
}
