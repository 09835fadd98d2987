package io.mpreg.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mpreg-bom lists every published module of the reactor, each at the BOM's own version, and is at the build's. */
class BomTest {
    /** Modules of the reactor that are not libraries for applications. */
    private static final Set<String> NOT_PUBLISHED = Set.of("mpreg-bom", "mpreg-bench", "mpreg-it", "mpreg-dist");

    private static Set<String> all(Pattern p, String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String version(String pom) {
        Matcher m = Pattern.compile("<artifactId>mpreg-(?:parent|bom)</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        assertTrue(m.find(), "no version in " + pom);
        return m.group(1);
    }

    @Test
    void theBomListsEveryPublishedModuleAtItsVersion() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String parent = Files.readString(root.resolve("pom.xml"));
        String bom = Files.readString(root.resolve("mpreg-bom/pom.xml"));
        Set<String> published = all(Pattern.compile("<module>([^<]+)</module>"), parent);
        assertTrue(published.contains("mpreg-bom"), "mpreg-bom is built with the rest");
        published.removeAll(NOT_PUBLISHED);
        assertEquals(published, all(Pattern.compile("<artifactId>(mpreg-[a-z-]+)</artifactId><version>"
                + "\\$\\{project\\.version}</version>"), bom), "the BOM's entries, each at the BOM's version");
        assertEquals(version(parent), version(bom), "the BOM is released with the modules it lists");
        assertTrue(!bom.contains("<parent>"), "the BOM has no parent, so importing it imports MPREG's modules only");
    }
}
