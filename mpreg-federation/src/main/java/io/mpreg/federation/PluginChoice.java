package io.mpreg.federation;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.fault.FaultDetector;
import io.mpreg.api.spi.fault.FaultDetectorProvider;
import io.mpreg.api.spi.transport.TransportProvider;
import io.mpreg.api.spi.weighting.WeightingStrategyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Which plugins a node gets: the providers it was given, else those it was told by name, else the best found (every
 * available one, for fault detectors; the transport also by the system property {@code mpreg.transport}).
 */
final class PluginChoice {
    private static final Logger LOG = LoggerFactory.getLogger(PluginChoice.class);

    private PluginChoice() {
    }

    static WeightingStrategyProvider weighting(WeightingStrategyProvider given, String name) {
        return given != null ? given : name != null ? ProviderRegistry.weightingStrategies().select(name)
                : ProviderRegistry.weightingStrategies().best();
    }

    static List<FaultDetector> detectors(List<FaultDetectorProvider> given, List<String> names) {
        List<FaultDetector> detectors = new ArrayList<>();
        if (given != null) {
            given.forEach(p -> detectors.add(p.create(PluginOptions.NONE)));
        } else if (names != null) {
            names.forEach(n -> detectors.add(ProviderRegistry.faultDetectors().select(n).create(PluginOptions.NONE)));
        } else {
            ProviderRegistry.faultDetectors().all().stream().filter(FaultDetectorProvider::isAvailable)
                    .forEach(p -> detectors.add(p.create(PluginOptions.NONE)));
        }
        return detectors;
    }

    /** The transport provider, logged at INFO with the others found. */
    static TransportProvider transport(NodeId node, TransportProvider given, String name) {
        String byProperty = System.getProperty("mpreg.transport");
        TransportProvider provider = given != null ? given : name != null ? ProviderRegistry.transports().select(name)
                : byProperty != null ? ProviderRegistry.transports().select(byProperty)
                : ProviderRegistry.transports().best();
        LOG.info("{}: transport '{}' ({}, priority {}); found {}", node, provider.name(),
                provider.getClass().getModule().isNamed() ? provider.getClass().getModule().getName()
                        : provider.getClass().getName(), provider.priority(), ProviderRegistry.transports().names());
        return provider;
    }
}
