package io.mpreg.consensus;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every {@code provides} of module-info has its META-INF/services twin, with the same classes in the same order. */
class ProvidesMatchesServicesTest {

    @Test
    void servicesFilesTwinTheModuleDescriptor() throws IOException {
        Module module = ConsensusEngine.class.getModule();
        assertTrue(module.isNamed(), "tests run on the module path");
        ModuleDescriptor descriptor = module.getDescriptor();
        Map<String, List<String>> provides = new TreeMap<>();
        descriptor.provides().forEach(p -> provides.put(p.service(), p.providers()));
        assertEquals(List.of("io.mpreg.api.spi.fault.FaultDetectorProvider",
                "io.mpreg.api.spi.weighting.WeightingStrategyProvider"), List.copyOf(provides.keySet()));
        for (Map.Entry<String, List<String>> e : provides.entrySet()) {
            try (InputStream in = module.getResourceAsStream("META-INF/services/" + e.getKey())) {
                assertNotNull(in, "META-INF/services/" + e.getKey() + " is missing");
                List<String> listed = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                        .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toList());
                assertEquals(e.getValue(), listed, e.getKey());
            }
        }
    }
}
