package io.mpreg.it;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A transport plugin built apart from MPREG (src/test/plugin: a module that requires the API alone, compiled here and
 * packed into target/plugins/com.example.relay.jar, which CI then runs through {@code MPREG_PLUGIN_PATH} with
 * {@code ./mpreg}) is found by name by the launcher in a JVM of its own: listed, chosen for the demo, run.
 */
class PluginPathIT {

    /** Compiles and packs the plugin the way its author would: the JDK's javac against mpreg-api, then its jar. */
    static Path buildPlugin() throws Exception {
        Path sources = Path.of("src/test/plugin/com.example.relay");
        Path classes = Path.of("target/plugins/classes");
        Path jar = Path.of("target/plugins/com.example.relay.jar");
        Files.createDirectories(classes.resolve("META-INF/services"));
        List<String> javac = new ArrayList<>(List.of(tool("javac"), "--release", "17", "-d", classes.toString(),
                "--module-path", location(io.mpreg.api.Message.class).toString()));
        try (Stream<Path> walk = Files.walk(sources)) {
            walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().forEach(javac::add);
        }
        run(javac);
        // the class-path twin of its 'provides'
        Files.writeString(classes.resolve("META-INF/services/io.mpreg.api.spi.transport.TransportProvider"),
                "com.example.relay.RelayTransportProvider\n");
        Files.deleteIfExists(jar);
        run(List.of(tool("jar"), "--create", "--file", jar.toString(), "-C", classes.toString(), "."));
        return jar.toAbsolutePath();
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), command + " finished");
        assertEquals(0, p.exitValue(), command + ": " + out);
    }

    private static Path location(Class<?> anchor) throws URISyntaxException {
        return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** Runs the launcher in a JVM of its own with the plugin on its module path (or class path) and MPREG's own. */
    private static Run launch(Path plugin, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        String modulePath = System.getProperty("jdk.module.path");
        String launcher = location(io.mpreg.launcher.Main.class).toString();
        if (modulePath != null) {
            // the suite's class path too: what the test runner keeps there (Kryo's objenesis) the node needs
            command.addAll(List.of("-p", String.join(File.pathSeparator, modulePath, launcher, plugin.toString()),
                    "-cp", System.getProperty("java.class.path"), "-m", "io.mpreg.launcher/io.mpreg.launcher.Main"));
        } else {
            command.addAll(List.of("-cp", String.join(File.pathSeparator, System.getProperty("java.class.path"),
                    plugin.toString()), "io.mpreg.launcher.Main"));
        }
        command.addAll(List.of(args));
        Path output = Files.createTempFile("plugin-run", ".out");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the launcher finished");
        return new Run(p.exitValue(), Files.readString(output));
    }

    private record Run(int code, String out) {
    }

    @Test
    void aPluginBuiltElsewhereRunsTheDemoByName() throws Exception {
        Path plugin = buildPlugin();
        Run list = launch(plugin, "transports");
        assertEquals(0, list.code(), list.out());
        boolean modular = System.getProperty("jdk.module.path") != null;
        assertTrue(list.out().contains("relay 1 available " + (modular ? "com.example.relay" : "null")), list.out());
        Run demo = launch(plugin, "demo", "--transport", "relay", "--messages", "50", "--json");
        assertEquals(0, demo.code(), demo.out());
        String[] lines = demo.out().strip().split("\n");
        String json = lines[lines.length - 1];
        assertTrue(json.startsWith("{\"transport\":\"relay\",\"clusters\":3,\"messages\":50,\"committed\":50,"), json);
        // each message at the clusters of its certificate: 2 or 3 of 3 (the demo's receivers check exactly which)
        java.util.regex.Matcher delivered = java.util.regex.Pattern.compile(",\"delivered\":(\\d+),").matcher(json);
        assertTrue(delivered.find() && Integer.parseInt(delivered.group(1)) >= 100
                && Integer.parseInt(delivered.group(1)) <= 150, json);
        assertTrue(json.endsWith(",\"receiverViolations\":0}"), json);
    }

    @Test
    void anUnknownTransportIsRefusedNamingThoseFound() throws Exception {
        Run demo = launch(buildPlugin(), "demo", "--transport", "quic");
        assertEquals(2, demo.code(), demo.out());
        assertTrue(demo.out().contains("mpreg demo: no transport plugin 'quic'; found [tcp (10), jgroups (5), relay (1)]"),
                demo.out());
    }

    static {
        try {
            Files.createDirectories(Path.of("target/plugins"));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
