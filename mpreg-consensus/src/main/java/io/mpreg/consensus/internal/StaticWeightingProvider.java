package io.mpreg.consensus.internal;

import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.weighting.WeightingStrategy;
import io.mpreg.api.spi.weighting.WeightingStrategyProvider;

/** Provides the {@code static} weighting strategy. It reads no options. */
public final class StaticWeightingProvider implements WeightingStrategyProvider {
    @Override
    public String name() {
        return StaticWeighting.NAME;
    }

    @Override
    public WeightingStrategy create(PluginOptions config) {
        if (config == null) {
            throw new IllegalArgumentException("options must not be null (use PluginOptions.NONE)");
        }
        return new StaticWeighting();
    }
}
