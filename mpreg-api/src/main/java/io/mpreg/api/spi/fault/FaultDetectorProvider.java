package io.mpreg.api.spi.fault;

import io.mpreg.api.spi.ComponentProvider;
import io.mpreg.api.spi.PluginOptions;

/**
 * Finds and creates a {@link FaultDetector}; the options are the detector's own. See {@link ComponentProvider}
 * for the loading contract.
 *
 * @since 0.1.0
 */
public interface FaultDetectorProvider extends ComponentProvider<PluginOptions, FaultDetector> {
}
