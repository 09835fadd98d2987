package io.mpreg.api.spi.weighting;

import io.mpreg.api.spi.ComponentProvider;
import io.mpreg.api.spi.PluginOptions;

/**
 * Finds and creates a {@link WeightingStrategy}; the options are the strategy's own (each provider documents its
 * keys). See {@link ComponentProvider} for the loading contract.
 *
 * @since 0.1.0
 */
public interface WeightingStrategyProvider extends ComponentProvider<PluginOptions, WeightingStrategy> {
}
