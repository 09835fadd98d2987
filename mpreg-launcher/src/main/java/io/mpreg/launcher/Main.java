package io.mpreg.launcher;

import io.mpreg.federation.ProviderRegistry;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code mpreg} launcher: {@code mpreg demo [options]} runs a local federation (exit codes: 0 success, 1 a
 * message missed its expected outcome, 2 bad command line); {@code mpreg node --config FILE} runs one node of a real
 * federation until it is stopped ({@link NodeCommand}); {@code mpreg keys}, {@code mpreg verify-evidence} and
 * {@code mpreg verify-certificate} make vote keys and check proofs of equivocation and of commits ({@link KeysCommand}); {@code mpreg status URL} shows a running node's status ({@link StatusCommand});
 * {@code mpreg transports} lists the transport plugins found, one per line (name, priority, availability, module).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    private static String transports() {
        return ProviderRegistry.transports().all().stream().map(p -> p.name() + " (" + p.priority() + ")").toList()
                .toString();
    }

    /** Runs the launcher with {@code args}; returns the exit code. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h")) {
            out.println(DemoOptions.USAGE);
            out.println();
            out.println(NodeCommand.USAGE);
            out.println();
            out.println(KeysCommand.USAGE);
            out.println();
            out.println(StatusCommand.USAGE);
            out.println();
            out.println("Transport plugins found (name, priority; more from the jars on MPREG_PLUGIN_PATH): "
                    + transports());
            return args.isEmpty() ? 2 : 0;
        }
        if (args.get(0).equals("transports")) { // one per line: what ./mpreg image checks --transports against
            ProviderRegistry.transports().all().forEach(p -> out.println(p.name() + " " + p.priority() + " "
                    + (p.isAvailable() ? "available" : "unavailable") + " " + p.getClass().getModule().getName()));
            return 0;
        }
        if (args.get(0).equals("node")) {
            if (System.getProperty("mpreg.log.level") == null) {
                // read by config/log4j2.xml when logging starts, so before NodeCommand (and its logger) loads
                System.setProperty("mpreg.log.level", "info");
            }
            return NodeCommand.run(args.subList(1, args.size()), out, err);
        }
        if (args.get(0).equals("status")) {
            return StatusCommand.run(args.subList(1, args.size()), out, err);
        }
        if (args.get(0).equals("keys") || args.get(0).equals("verify-evidence")
                || args.get(0).equals("verify-certificate")) {
            List<String> rest = args.subList(1, args.size());
            if (rest.contains("--help") || rest.contains("-h")) {
                out.println(KeysCommand.USAGE);
                return 0;
            }
            return switch (args.get(0)) {
                case "keys" -> KeysCommand.keys(rest, out, err);
                case "verify-evidence" -> KeysCommand.verify(rest, out, err);
                default -> KeysCommand.verifyCertificate(rest, out, err);
            };
        }
        if (!args.get(0).equals("demo")) {
            err.println("mpreg: unknown command '" + args.get(0) + "' (try: mpreg demo --help, mpreg node --help, "
                    + "mpreg keys --help, mpreg status --help)");
            return 2;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.println(DemoOptions.USAGE);
            return 0;
        }
        DemoOptions options;
        try {
            options = DemoOptions.parse(rest);
        } catch (IllegalArgumentException e) {
            err.println("mpreg demo: " + e.getMessage());
            return 2;
        }
        if (ProviderRegistry.transports().find(options.transport()).isEmpty()) {
            err.println("mpreg demo: no transport plugin '" + options.transport() + "'; found " + transports()
                    + " (a plugin's jar joins through MPREG_PLUGIN_PATH)");
            return 2;
        }
        try {
            return new Demo(options, out).run();
        } catch (Exception e) {
            err.println("mpreg demo: failed: " + e);
            return 1;
        }
    }
}
