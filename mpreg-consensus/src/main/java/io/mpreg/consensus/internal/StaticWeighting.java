package io.mpreg.consensus.internal;

import io.mpreg.api.ClusterId;
import io.mpreg.api.spi.weighting.ClusterRecord;
import io.mpreg.api.spi.weighting.WeightingStrategy;

/**
 * Every cluster always carries its configured weight. Equivocators are still excluded from the round they
 * equivocate in, but regain full weight in the next.
 */
public final class StaticWeighting implements WeightingStrategy {
    /** The name this strategy is provided under. */
    public static final String NAME = "static";

    @Override
    public long effectiveWeight(ClusterId cluster, long configuredWeight, ClusterRecord record) {
        return configuredWeight;
    }
}
