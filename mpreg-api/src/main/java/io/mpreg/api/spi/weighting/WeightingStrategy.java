package io.mpreg.api.spi.weighting;

import io.mpreg.api.ClusterId;

/**
 * Computes a cluster's effective weight for the next round.
 *
 * <p>Called when a round opens, once per target, on the coordinator's event loop. Implementations must be pure
 * functions of their arguments and their own immutable configuration (the coordinator keeps the record), hence
 * thread-safe. An exception thrown here fails the opening of the round with that exception.
 *
 * @since 0.1.0
 */
public interface WeightingStrategy {

    /**
     * The effective weight of {@code cluster}.
     *
     * @param cluster          the cluster
     * @param configuredWeight its weight in the weight table, 0 or more
     * @param record           what the coordinator observed of it so far
     * @return a weight in {@code [0, configuredWeight]}; 0 means the cluster is not trusted now
     */
    long effectiveWeight(ClusterId cluster, long configuredWeight, ClusterRecord record);
}
