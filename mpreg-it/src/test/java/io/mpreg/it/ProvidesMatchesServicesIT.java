package io.mpreg.it;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every {@code provides} of every MPREG module has its META-INF/services twin in the same jar, with the same classes
 * in the same order, so each plugin works on the class path exactly as on the module path.
 */
class ProvidesMatchesServicesIT {

    @Test
    void servicesFilesTwinTheModuleDescriptors() throws IOException {
        assumeTrue(ProvidesMatchesServicesIT.class.getModule().isNamed(), "reads module descriptors");
        Map<String, Integer> checked = new TreeMap<>();
        for (Module module : ModuleLayer.boot().modules()) {
            if (!module.getName().startsWith("io.mpreg.")) {
                continue;
            }
            for (var provides : module.getDescriptor().provides()) {
                try (InputStream in = module.getResourceAsStream("META-INF/services/" + provides.service())) {
                    assertNotNull(in, module.getName() + ": META-INF/services/" + provides.service() + " is missing");
                    List<String> listed = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                            .lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                            .collect(Collectors.toList());
                    assertEquals(provides.providers(), listed, module.getName() + " " + provides.service());
                }
                checked.merge(module.getName(), provides.providers().size(), Integer::sum);
            }
        }
        assertEquals(Map.of("io.mpreg.consensus", 3, "io.mpreg.transport.tcp", 1, "io.mpreg.transport.jgroups", 1),
                checked);
    }

    /** The launcher and the kit (test dependencies here, so on the class path) provide nothing and list nothing. */
    @Test
    void theLauncherAndTheKitProvideNothing() throws Exception {
        for (Class<?> anchor : List.of(io.mpreg.launcher.Main.class, io.mpreg.tck.TransportContract.class)) {
            java.nio.file.Path where = java.nio.file.Path.of(anchor.getProtectionDomain().getCodeSource().getLocation()
                    .toURI());
            var reference = java.lang.module.ModuleFinder.of(where).findAll().stream().findFirst()
                    .orElseThrow(() -> new AssertionError(where + " holds no module"));
            assertEquals(Set.of(), reference.descriptor().provides(), reference.descriptor().name());
            try (var reader = reference.open()) {
                assertEquals(List.of(), reader.list().filter(n -> n.startsWith("META-INF/services/"))
                        .collect(Collectors.toList()), reference.descriptor().name());
            }
        }
    }
}
