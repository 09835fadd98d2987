package io.mpreg.it;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** On the module path, each MPREG module exports, uses and provides exactly what the design says. */
class ModuleDescriptorsIT {

    /**
     * The descriptor of a module in the boot layer, or else of the module the suite's test class path holds (the
     * launcher and the kit are test dependencies here, on the class path, as a plugin's tests take the kit).
     */
    private static ModuleDescriptor descriptor(String name) {
        return ModuleLayer.boot().findModule(name).map(Module::getDescriptor)
                .or(() -> ModuleFinder.of(location(name)).find(name).map(ModuleReference::descriptor))
                .orElseThrow(() -> new AssertionError("module " + name + " is neither in the boot layer nor on the "
                        + "class path"));
    }

    private static Path location(String module) {
        Class<?> anchor = switch (module) {
            case "io.mpreg.launcher" -> io.mpreg.launcher.Main.class;
            case "io.mpreg.tck" -> io.mpreg.tck.TransportContract.class;
            default -> ModuleDescriptorsIT.class;
        };
        try {
            return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
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
        // java.base, and Bouncy Castle only statically: read when present (faster Ed25519), never needed
        assertEquals(Set.of("java.base", "org.bouncycastle.provider"), descriptor("io.mpreg.api").requires().stream()
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
        assertEquals(Set.of("org.bouncycastle.provider"), descriptor("io.mpreg.api").requires().stream()
                .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
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
                "io.mpreg.federation.storage", Set.of(), "io.mpreg.federation.internal.wire", Set.of("io.mpreg.it")),
                exports("io.mpreg.federation"));
        assertEquals(Set.of("java.base", "io.mpreg.api", "io.mpreg.consensus", "org.slf4j",
                "com.esotericsoftware.kryo", "com.github.benmanes.caffeine", "java.management",
                "org.bouncycastle.provider"),
                descriptor("io.mpreg.federation").requires().stream().map(ModuleDescriptor.Requires::name)
                        .collect(Collectors.toSet()));

        assertEquals(Map.of(), exports("io.mpreg.launcher"));
        assertEquals(Set.of("java.base", "io.mpreg.federation", "org.slf4j", "jdk.httpserver",
                "java.net.http"),
                descriptor("io.mpreg.launcher").requires().stream().map(ModuleDescriptor.Requires::name)
                        .collect(Collectors.toSet()));
        assertEquals(Set.of(), descriptor("io.mpreg.launcher").uses());
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

        assertEquals(Map.of("io.mpreg.tck", Set.of()), exports("io.mpreg.tck"));
        assertEquals(Set.of("java.base", "io.mpreg.api", "org.junit.jupiter.api", "java.management",
                "jdk.management"), descriptor("io.mpreg.tck").requires().stream()
                .map(ModuleDescriptor.Requires::name).collect(Collectors.toSet()));
        assertEquals(Set.of("io.mpreg.tck"), descriptor("io.mpreg.tck").opens().stream()
                .map(ModuleDescriptor.Opens::source).collect(Collectors.toSet()));

        assertEquals(Map.of("io.mpreg.it.sim", Set.of()), exports("io.mpreg.it"));
    }
}
