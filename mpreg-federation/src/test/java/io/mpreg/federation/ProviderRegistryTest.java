package io.mpreg.federation;

import io.mpreg.api.MpregException;
import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.fault.FaultDetector;
import io.mpreg.api.spi.fault.FaultDetectorProvider;
import io.mpreg.api.spi.weighting.WeightingStrategyProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProviderRegistryTest {

    private static FaultDetectorProvider provider(String name, int priority, boolean available) {
        return new FaultDetectorProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int priority() {
                return priority;
            }

            @Override
            public boolean isAvailable() {
                return available;
            }

            @Override
            public FaultDetector create(PluginOptions config) {
                return view -> (i, v) -> null;
            }
        };
    }

    @Test
    void findsTheConsensusModulesProvidersThroughServiceLoader() {
        ProviderRegistry<WeightingStrategyProvider> weighting = ProviderRegistry.weightingStrategies();
        assertEquals(List.of("reliability", "static"), weighting.names());
        assertEquals("reliability", weighting.best().name());
        assertEquals(List.of("equivocation"), ProviderRegistry.faultDetectors().names());
        assertEquals(List.of(), weighting.problems());
    }

    @Test
    void ordersByPriorityThenNameAndSkipsBrokenProviders() {
        List<Supplier<? extends FaultDetectorProvider>> suppliers = List.of(
                () -> provider("b", 1, true),
                () -> {
                    throw new IllegalStateException("cannot load");
                },
                () -> provider("Bad Name", 9, true),
                () -> provider("a", 1, true),
                () -> provider("top", 5, false));
        ProviderRegistry<FaultDetectorProvider> registry = ProviderRegistry.of(FaultDetectorProvider.class, suppliers);
        assertEquals(List.of("top", "a", "b"), registry.names());
        assertEquals("a", registry.best().name(), "the unavailable 'top' is never chosen");
        assertEquals(2, registry.problems().size());
        assertTrue(registry.problems().get(0).contains("cannot load"), registry.problems().toString());
        assertTrue(registry.problems().get(1).contains("invalid name 'Bad Name'"), registry.problems().toString());
        MpregException unavailable = assertThrows(MpregException.class, () -> registry.select("top"));
        assertTrue(unavailable.getMessage().contains("is not available"), unavailable.getMessage());
        MpregException missing = assertThrows(MpregException.class, () -> registry.select("nope"));
        assertTrue(missing.getMessage().contains("no FaultDetectorProvider named 'nope'; found [top, a, b]"),
                missing.getMessage());
    }

    @Test
    void twoProvidersWithOneNameAreAHardErrorNamingBoth() {
        FaultDetectorProvider first = provider("same", 1, true);
        FaultDetectorProvider second = provider("same", 2, true);
        MpregException e = assertThrows(MpregException.class,
                () -> ProviderRegistry.of(FaultDetectorProvider.class, List.of(() -> first, () -> second)));
        assertTrue(e.getMessage().contains(first.getClass().getName()) && e.getMessage().contains("named 'same'"),
                e.getMessage());
    }

    @Test
    void noProviderFailsFastSayingHowToAddOne() {
        ProviderRegistry<FaultDetectorProvider> empty = ProviderRegistry.of(FaultDetectorProvider.class, List.of());
        MpregException e = assertThrows(MpregException.class, empty::best);
        assertTrue(e.getMessage().contains("META-INF/services/io.mpreg.api.spi.fault.FaultDetectorProvider"),
                e.getMessage());
    }
}
