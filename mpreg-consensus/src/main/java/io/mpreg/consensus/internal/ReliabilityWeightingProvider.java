package io.mpreg.consensus.internal;

import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.weighting.WeightingStrategy;
import io.mpreg.api.spi.weighting.WeightingStrategyProvider;

/**
 * Provides the {@code reliability} weighting strategy, the default. Options (permille, 0 to 1000):
 * {@code equivocation-trust-permille} (0), {@code miss-trust-permille} (500), {@code recovery-permille-per-round} (50).
 */
public final class ReliabilityWeightingProvider implements WeightingStrategyProvider {
    @Override
    public String name() {
        return ReliabilityWeighting.NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public WeightingStrategy create(PluginOptions config) {
        if (config == null) {
            throw new IllegalArgumentException("options must not be null (use PluginOptions.NONE)");
        }
        return new ReliabilityWeighting(ReliabilityWeighting.Settings.from(config));
    }
}
