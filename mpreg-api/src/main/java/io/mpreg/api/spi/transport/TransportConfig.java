package io.mpreg.api.spi.transport;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.PluginOptions;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a transport is created from. Validated on construction; the messages name the bad value.
 *
 * @param localNode         the identity this transport speaks for
 * @param bindAddress       where to listen; port 0 picks a free port (see {@link Transport#boundAddress()})
 * @param peers             the peers to link with and their addresses, sorted by node id; may be empty for
 *                          transports that discover peers themselves
 * @param maxFrameBytes     the largest frame sent or accepted, in bytes: 1 to 1 GiB
 * @param sendQueueCapacity frames a peer's send queue holds before {@link Transport#send} answers
 *                          {@link SendStatus#QUEUE_FULL}: 1 or more
 * @param heartbeatInterval how often an idle link proves it is alive; positive
 * @param failureTimeout    silence after which a peer is reported down; greater than the heartbeat interval
 * @param reconnectMin      first delay before reconnecting to a lost peer; positive
 * @param reconnectMax      cap of the exponential reconnect backoff; at least {@code reconnectMin}
 * @param options           plugin-specific settings (documented by each plugin)
 * @since 0.1.0
 */
public record TransportConfig(NodeId localNode, InetSocketAddress bindAddress, Map<NodeId, InetSocketAddress> peers,
                              int maxFrameBytes, int sendQueueCapacity, Duration heartbeatInterval,
                              Duration failureTimeout, Duration reconnectMin, Duration reconnectMax,
                              PluginOptions options) {
    /** The default frame cap: 16 MiB. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    /** The largest allowed frame cap: 1 GiB. */
    public static final int MAX_FRAME_BYTES_LIMIT = 1 << 30;

    public TransportConfig {
        if (localNode == null) {
            throw new IllegalArgumentException("transport config needs a local node id");
        }
        if (bindAddress == null) {
            throw new IllegalArgumentException("transport config of " + localNode + " needs a bind address");
        }
        if (peers == null || peers.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
            throw new IllegalArgumentException("peers of " + localNode + " must map node ids to addresses, got " + peers);
        }
        if (peers.containsKey(localNode)) {
            throw new IllegalArgumentException("peers of " + localNode + " must not contain the local node itself");
        }
        peers = Collections.unmodifiableMap(new TreeMap<>(peers));
        if (maxFrameBytes < 1 || maxFrameBytes > MAX_FRAME_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxFrameBytes must be in [1, " + MAX_FRAME_BYTES_LIMIT + "], got "
                    + maxFrameBytes);
        }
        if (sendQueueCapacity < 1) {
            throw new IllegalArgumentException("sendQueueCapacity must be >= 1, got " + sendQueueCapacity);
        }
        requirePositive("heartbeatInterval", heartbeatInterval);
        requirePositive("failureTimeout", failureTimeout);
        requirePositive("reconnectMin", reconnectMin);
        requirePositive("reconnectMax", reconnectMax);
        if (failureTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("failureTimeout " + failureTimeout + " must exceed heartbeatInterval "
                    + heartbeatInterval);
        }
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnectMax " + reconnectMax + " must be >= reconnectMin "
                    + reconnectMin);
        }
        if (options == null) {
            throw new IllegalArgumentException("options must not be null (use PluginOptions.NONE)");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    /**
     * Defaults for {@code localNode} listening on {@code bindAddress} with no peers: 16 MiB frames, 1024 queued
     * frames per peer, 250 ms heartbeats, 2 s failure timeout, reconnect backoff 50 ms to 5 s.
     */
    public static TransportConfig defaults(NodeId localNode, InetSocketAddress bindAddress) {
        return new TransportConfig(localNode, bindAddress, Map.of(), DEFAULT_MAX_FRAME_BYTES, 1024,
                Duration.ofMillis(250), Duration.ofSeconds(2), Duration.ofMillis(50), Duration.ofSeconds(5),
                PluginOptions.NONE);
    }

    public TransportConfig withPeers(Map<NodeId, InetSocketAddress> newPeers) {
        return new TransportConfig(localNode, bindAddress, newPeers, maxFrameBytes, sendQueueCapacity,
                heartbeatInterval, failureTimeout, reconnectMin, reconnectMax, options);
    }

    public TransportConfig withMaxFrameBytes(int bytes) {
        return new TransportConfig(localNode, bindAddress, peers, bytes, sendQueueCapacity, heartbeatInterval,
                failureTimeout, reconnectMin, reconnectMax, options);
    }

    public TransportConfig withSendQueueCapacity(int frames) {
        return new TransportConfig(localNode, bindAddress, peers, maxFrameBytes, frames, heartbeatInterval,
                failureTimeout, reconnectMin, reconnectMax, options);
    }

    public TransportConfig withFailureDetection(Duration heartbeat, Duration timeout) {
        return new TransportConfig(localNode, bindAddress, peers, maxFrameBytes, sendQueueCapacity, heartbeat, timeout,
                reconnectMin, reconnectMax, options);
    }

    public TransportConfig withReconnect(Duration min, Duration max) {
        return new TransportConfig(localNode, bindAddress, peers, maxFrameBytes, sendQueueCapacity, heartbeatInterval,
                failureTimeout, min, max, options);
    }

    public TransportConfig withOptions(PluginOptions newOptions) {
        return new TransportConfig(localNode, bindAddress, peers, maxFrameBytes, sendQueueCapacity, heartbeatInterval,
                failureTimeout, reconnectMin, reconnectMax, newOptions);
    }
}
