package io.mpreg.consensus.internal;

import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.fault.FaultDetector;
import io.mpreg.api.spi.fault.FaultDetectorProvider;

/** Provides the {@code equivocation} detector through the fault detection SPI. It reads no options. */
public final class EquivocationDetectorProvider implements FaultDetectorProvider {
    @Override
    public String name() {
        return EquivocationDetector.NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public FaultDetector create(PluginOptions config) {
        if (config == null) {
            throw new IllegalArgumentException("options must not be null (use PluginOptions.NONE)");
        }
        return new EquivocationDetector();
    }
}
