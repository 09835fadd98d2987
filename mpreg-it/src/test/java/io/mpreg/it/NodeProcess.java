package io.mpreg.it;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code mpreg node --config FILE} in a JVM of its own, run from the modules under test (as a module when this suite
 * runs on the module path, from the class path otherwise), its output going to a file: {@link Process#destroy}
 * closes the pipes, and a killed process's last lines must still be readable.
 */
final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final Path output;

    private NodeProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts a node from {@code config}, its output (INFO and up, through config/log4j2.xml) into {@code output}. */
    static NodeProcess start(Path config, Path output) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Dmpreg.log.level=info",
                "-Dlog4j2.configurationFile=" + Path.of("..", "config", "log4j2.xml").toAbsolutePath().normalize()));
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null) {
            // the launcher is a test dependency (class path here); the child runs it as the module it is
            // jars that are no modules (Kryo's objenesis) stay on the class path, where automatic modules see them
            command.addAll(List.of("-p", modulePath + File.pathSeparator + launcherJar(), "-cp",
                    System.getProperty("java.class.path"), "-m", "io.mpreg.launcher/io.mpreg.launcher.Main"));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.mpreg.launcher.Main"));
        }
        command.addAll(List.of("node", "--config", config.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new NodeProcess(p, output);
    }

    private static String launcherJar() {
        try {
            return Path.of(io.mpreg.launcher.Main.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Process process() {
        return process;
    }

    /** Its output so far. */
    List<String> lines() {
        try {
            return Files.readAllLines(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of(e.toString());
        }
    }

    /** kill -9. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
