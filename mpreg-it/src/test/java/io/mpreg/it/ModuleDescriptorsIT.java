package io.mpreg.it;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** On the module path, each MPREG module exports, uses and provides exactly what the design says. */
class ModuleDescriptorsIT {

    private static ModuleDescriptor descriptor(String name) {
        return ModuleLayer.boot().findModule(name).map(Module::getDescriptor)
                .orElseThrow(() -> new AssertionError("module " + name + " is not in the boot layer"));
    }

    private static Map<String, Set<String>> exports(String module) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (ModuleDescriptor.Exports e : descriptor(module).exports()) {
            out.put(e.source(), new TreeSet<>(e.targets()));
        }
        return out;
    }

    private static Set<String> provides(String module) {
        return descriptor(module).provides().stream().map(p -> p.service() + " with " + p.providers())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void descriptorsMatchTheDesign() {
        assumeTrue(ModuleDescriptorsIT.class.getModule().isNamed(), "only meaningful on the module path");
        assertEquals(Map.of("io.mpreg.api", Set.of(), "io.mpreg.api.spi", Set.of(),
                "io.mpreg.api.spi.fault", Set.of(), "io.mpreg.api.spi.transport", Set.of(),
                "io.mpreg.api.spi.weighting", Set.of()), exports("io.mpreg.api"));
        assertEquals(Set.of("java.base"), descriptor("io.mpreg.api").requires().stream()
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));

        assertEquals(Map.of("io.mpreg.consensus", Set.of("io.mpreg.federation", "io.mpreg.it")),
                exports("io.mpreg.consensus"));
        assertEquals(Set.of(
                "io.mpreg.api.spi.fault.FaultDetectorProvider with "
                        + "[io.mpreg.consensus.internal.EquivocationDetectorProvider]",
                "io.mpreg.api.spi.weighting.WeightingStrategyProvider with "
                        + "[io.mpreg.consensus.internal.StaticWeightingProvider, "
                        + "io.mpreg.consensus.internal.ReliabilityWeightingProvider]"), provides("io.mpreg.consensus"));

        assertEquals(Map.of("io.mpreg.federation", Set.of(), "io.mpreg.federation.queue", Set.of(),
                        "io.mpreg.federation.launcher", Set.of("io.mpreg.it")),
                exports("io.mpreg.federation"));
        assertEquals(Set.of("io.mpreg.api.spi.transport.TransportProvider",
                "io.mpreg.api.spi.weighting.WeightingStrategyProvider",
                "io.mpreg.api.spi.fault.FaultDetectorProvider"), descriptor("io.mpreg.federation").uses());
        assertEquals(false, descriptor("io.mpreg.federation").isOpen());

        assertEquals(Map.of(), exports("io.mpreg.transport.tcp"));
        assertEquals(Set.of("java.base", "io.mpreg.api"), descriptor("io.mpreg.transport.tcp").requires().stream()
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
        assertEquals(Set.of("io.mpreg.api.spi.transport.TransportProvider with "
                + "[io.mpreg.transport.tcp.internal.TcpTransportProvider]"), provides("io.mpreg.transport.tcp"));

        assertEquals(Map.of(), exports("io.mpreg.transport.jgroups"));
        assertEquals(Set.of("java.base", "io.mpreg.api", "org.jgroups", "java.xml", "java.management"),
                descriptor("io.mpreg.transport.jgroups").requires().stream().map(ModuleDescriptor.Requires::name)
                        .collect(Collectors.toSet()));
        assertEquals(Set.of("io.mpreg.api.spi.transport.TransportProvider with "
                + "[io.mpreg.transport.jgroups.internal.JGroupsTransportProvider]"),
                provides("io.mpreg.transport.jgroups"));

        assertEquals(Map.of("io.mpreg.it", Set.of(), "io.mpreg.it.tck", Set.of(), "io.mpreg.it.sim", Set.of()),
                exports("io.mpreg.it"));
    }
}
