package io.mpreg.it.sim;

import java.io.PrintStream;

/**
 * Runs the fault simulator from the command line: {@code --seed S} replays one seed and prints its faults, trace
 * hash and violations; {@code --seeds N [--from S] [--threads T]} runs N seeds and prints each failing one with the
 * command that replays it. Exit status 0 when every run passed, 1 when one failed, 2 for bad arguments.
 *
 * <pre>
 * mvn -q -B -ntp -DskipTests package -pl mpreg-it -am
 * java -cp "mpreg-it/target/classes:$(cat mpreg-it/target/sim-classpath.txt)" io.mpreg.it.sim.SimMain --seeds 100000
 * </pre>
 *
 * @since 0.3.0
 */
public final class SimMain {
    private SimMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Long seed = null;
        int count = 0;
        long from = 1;
        int threads = Runtime.getRuntime().availableProcessors();
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--seed" -> seed = number(args[i], value);
                    case "--seeds" -> count = (int) Math.min(Integer.MAX_VALUE, number(args[i], value));
                    case "--from" -> from = number(args[i], value);
                    case "--threads" -> threads = (int) Math.min(Integer.MAX_VALUE, number(args[i], value));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
                i++;
            }
            if ((seed == null) == (count <= 0) || threads < 1) {
                throw new IllegalArgumentException("give --seed S, or --seeds N (N > 0) with optional --from S and"
                        + " --threads T (T > 0)");
            }
        } catch (IllegalArgumentException e) {
            err.println("mpreg sim: " + e.getMessage());
            return 2;
        }
        if (seed != null) {
            RunResult r = SimRun.run(seed);
            out.println("seed " + r.seed() + ": " + r.shape());
            out.println("trace " + Long.toHexString(r.traceHash()) + ", " + r.events() + " events, " + r.operations()
                    + " sends (" + r.succeeded() + " succeeded), " + r.delivered() + " deliveries, " + r.virtualMillis()
                    + " virtual ms: " + (r.passed() ? "passed" : "FAILED"));
            r.violations().forEach(v -> out.println("  violation: " + v));
            return r.passed() ? 0 : 1;
        }
        Seeds.Batch b = Seeds.run(from, count, threads);
        for (RunResult r : b.failed()) {
            out.println("seed " + r.seed() + " FAILED (" + r.violations().size() + " violations, first: "
                    + r.violations().get(0) + ")");
            out.println("  replay: " + r.replayCommand());
        }
        out.printf("%d seeds from %d (%d in liveness mode, %d with a malicious member), %d events, %d sends (%d"
                + " succeeded), %d deliveries, %d failed, %.1f s, %.0f runs/min%n", b.runs(), from, b.liveness(),
                b.malicious(), b.events(), b.sends(),
                b.succeeded(), b.delivered(), b.failed().size(), b.wallMillis() / 1000.0, b.runsPerMinute());
        return b.failed().isEmpty() ? 0 : 1;
    }

    private static long number(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, got '" + value + "'");
        }
    }
}
