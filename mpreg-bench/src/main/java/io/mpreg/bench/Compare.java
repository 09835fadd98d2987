package io.mpreg.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything side by side in one JVM, one after another with the same warm-up discipline (as many warm-up operations
 * as measured ones, then one at a time for latency, then a bounded window for throughput), reported as ratios because
 * the machine is shared and noisy:
 * <ol>
 *   <li>the floor: plain Java TCP ping-pong on loopback;</li>
 *   <li>MPREG GLOBAL_QUORUM, 3 clusters: over tcp (batched and unbatched) and over jgroups, unsigned; over tcp signed
 *       (with a tenth of the operations, and the unsigned run of the same size beside it), and signed with every
 *       node's log on disk (what the demo runs);</li>
 *   <li>BYZANTINE_QUORUM, 4 clusters over tcp, unsigned and signed ({@link SignedQuorum});</li>
 *   <li>the peer: jgroups-raft, 3 members, in-memory log, one replicated write per operation;</li>
 *   <li>AT_LEAST_ONCE (256 B, acknowledged) in memory, durable, unbatched and over jgroups, against the raw
 *       transports' one-way throughput.</li>
 * </ol>
 * It prints every path with its allocation per operation (all threads of the JVM during the throughput run), each of
 * issue 20's goals with its measured ratio, and writes {@code compare-latency.csv} (latency percentiles per path) and
 * {@code compare-latency.svg} (a chart of it) into the output directory.
 *
 * <pre>
 * mvn -q -DskipTests package -pl mpreg-bench -am
 * java -cp mpreg-bench/target/benchmarks.jar io.mpreg.bench.Compare [outputDir .] [scale 1.0]
 * </pre>
 * {@code scale} multiplies every operation count (0.1 for a quick look).
 */
public final class Compare {
    private static final double[] PERCENTILES = {50, 75, 90, 95, 99, 99.9};

    private Compare() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogs();
        Path out = Path.of(args.length > 0 ? args[0] : ".");
        double scale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        int latencyOps = (int) (10_000 * scale);
        int quorumThroughput = (int) (100_000 * scale);
        int window = 256;
        long began = System.nanoTime();
        System.out.printf(Locale.ROOT, "Compare: JDK %s, %d cores; latency over %d operations one at a time (after as "
                        + "many warm-up), throughput with %d in flight%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), latencyOps, window);

        Histogram floor = new PingPong(64, latencyOps * 2, latencyOps * 5).plainSockets();
        int signedOps = Math.max(100, quorumThroughput / 10);
        int signedLatency = Math.max(100, latencyOps / 10);
        Path logs = Files.createTempDirectory("mpreg-compare");
        Map<String, BenchSupport.Measured> rows = new LinkedHashMap<>();
        GlobalQuorum.Setup tcp = GlobalQuorum.Setup.of("tcp");
        rows.put("GLOBAL_QUORUM tcp", GlobalQuorum.measure(tcp, latencyOps, quorumThroughput, window));
        rows.put("GLOBAL_QUORUM tcp unbatched", GlobalQuorum.measure(tcp.withoutBatching(), latencyOps, quorumThroughput,
                window));
        rows.put("GLOBAL_QUORUM jgroups", GlobalQuorum.measure(GlobalQuorum.Setup.of("jgroups"), latencyOps,
                quorumThroughput, window));
        rows.put("GLOBAL_QUORUM tcp, 1/10", GlobalQuorum.measure(tcp, signedLatency, signedOps, window));
        rows.put("GLOBAL_QUORUM tcp signed", GlobalQuorum.measure(tcp.withSignedVotes(), signedLatency, signedOps, window));
        rows.put("GLOBAL_QUORUM tcp signed durable", GlobalQuorum.measure(tcp.withSignedVotes().withLog(logs),
                signedLatency, signedOps, window));
        rows.put("BYZANTINE_QUORUM tcp, 1/10", SignedQuorum.measure(io.mpreg.api.DeliveryGuarantee.BYZANTINE_QUORUM,
                false, signedLatency, signedOps, window));
        rows.put("BYZANTINE_QUORUM tcp signed", SignedQuorum.measure(io.mpreg.api.DeliveryGuarantee.BYZANTINE_QUORUM,
                true, signedLatency, signedOps, window));
        BenchSupport.Measured raft = RaftPeer.measure(64, latencyOps, quorumThroughput, window);
        rows.put("jgroups-raft write", raft);
        int aloCount = (int) (200_000 * scale);
        rows.put("AT_LEAST_ONCE tcp", AtLeastOnce.measure("tcp", 256, latencyOps, aloCount, 512));
        rows.put("AT_LEAST_ONCE tcp durable", AtLeastOnce.measure("tcp", 256, latencyOps, aloCount, 512, logs));
        rows.put("AT_LEAST_ONCE tcp unbatched", AtLeastOnce.measure("tcp", 256, latencyOps, aloCount, 512, null,
                false));
        rows.put("AT_LEAST_ONCE jgroups", AtLeastOnce.measure("jgroups", 256, latencyOps, aloCount, 512));
        double rawTcp = PingPong.oneWay("tcp", 256, aloCount);
        double rawJgroups = PingPong.oneWay("jgroups", 256, aloCount);

        double rtt = floor.getValueAtPercentile(50);
        System.out.println();
        System.out.printf(Locale.ROOT, "%-34s %10s %10s %12s %10s %12s%n", "path", "p50 us", "p99 us", "ops/s",
                "p50 / RTT", "B/op");
        row("plain TCP ping-pong (RTT)", new BenchSupport.Measured(floor, Double.NaN), rtt);
        rows.forEach((name, m) -> row(name, m, rtt));
        System.out.printf(Locale.ROOT, "%-34s %10s %10s %12.0f%n", "raw tcp one-way (256 B)", "-", "-", rawTcp);
        System.out.printf(Locale.ROOT, "%-34s %10s %10s %12.0f%n", "raw jgroups one-way (256 B)", "-", "-",
                rawJgroups);

        BenchSupport.Measured gqTcp = rows.get("GLOBAL_QUORUM tcp");
        BenchSupport.Measured gqJgroups = rows.get("GLOBAL_QUORUM jgroups");
        BenchSupport.Measured gqUnbatched = rows.get("GLOBAL_QUORUM tcp unbatched");
        BenchSupport.Measured demo = rows.get("GLOBAL_QUORUM tcp signed durable");
        System.out.println();
        System.out.printf(Locale.ROOT, "%-52s %10s   %-8s %s%n", "goal (issue 20)", "measured", "goal", "");
        goal("quorum p50 / TCP RTT p50 (tcp)", p50(gqTcp) / rtt, "<=", 1.5);
        goal("quorum throughput / jgroups-raft (tcp)", gqTcp.perSecond() / raft.perSecond(), ">=", 1);
        goal("signed / unsigned throughput (GLOBAL_QUORUM)", rows.get("GLOBAL_QUORUM tcp signed").perSecond()
                / rows.get("GLOBAL_QUORUM tcp, 1/10").perSecond(), ">=", 0.5);
        goal("signed / unsigned throughput (BYZANTINE_QUORUM)", rows.get("BYZANTINE_QUORUM tcp signed").perSecond()
                / rows.get("BYZANTINE_QUORUM tcp, 1/10").perSecond(), ">=", 0.5);
        goal("at-least-once / raw one-way (tcp, in memory)", rows.get("AT_LEAST_ONCE tcp").perSecond() / rawTcp,
                ">=", 0.5);
        goal("at-least-once / raw one-way (tcp, durable)", rows.get("AT_LEAST_ONCE tcp durable").perSecond()
                / rawTcp, ">=", 0.5);
        goal("jgroups / tcp quorum p50", p50(gqJgroups) / p50(gqTcp), "<=", 1.5);
        goal("tcp / jgroups quorum throughput", gqTcp.perSecond() / gqJgroups.perSecond(), "<=", 1.5);
        goal("tcp / jgroups at-least-once throughput", rows.get("AT_LEAST_ONCE tcp").perSecond()
                / rows.get("AT_LEAST_ONCE jgroups").perSecond(), "<=", 1.5);
        goal("signed durable quorum, messages/s (as the demo)", demo.perSecond(), ">=", 10_000);
        goal("signed durable quorum p50 ms (as the demo)", p50(demo) / 1e6, "<", 5);
        System.out.println();
        System.out.printf(Locale.ROOT, "%-52s %10s%n", "batching (ratios, no goal)", "measured");
        ratio("quorum throughput batched / unbatched (tcp)", gqTcp.perSecond() / gqUnbatched.perSecond());
        ratio("quorum p50 batched / unbatched (tcp)", p50(gqTcp) / p50(gqUnbatched));
        ratio("at-least-once throughput batched / unbatched (tcp)", rows.get("AT_LEAST_ONCE tcp").perSecond()
                / rows.get("AT_LEAST_ONCE tcp unbatched").perSecond());

        Map<String, Histogram> curves = new LinkedHashMap<>();
        curves.put("TCP ping-pong", floor);
        curves.put("GLOBAL_QUORUM tcp", gqTcp.latency());
        curves.put("GLOBAL_QUORUM jgroups", gqJgroups.latency());
        curves.put("GLOBAL_QUORUM signed durable", demo.latency());
        curves.put("jgroups-raft", raft.latency());
        Files.createDirectories(out);
        Files.writeString(out.resolve("compare-latency.csv"), csv(curves), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("compare-latency.svg"), svg(curves), StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "%nwrote %s and %s; took %.0f s%n", out.resolve("compare-latency.csv"),
                out.resolve("compare-latency.svg"), (System.nanoTime() - began) / 1e9);
    }

    private static double p50(BenchSupport.Measured m) {
        return m.latency().getValueAtPercentile(50);
    }

    private static void row(String name, BenchSupport.Measured m, double rtt) {
        Histogram h = m.latency();
        System.out.printf(Locale.ROOT, "%-34s %10.1f %10.1f %12s %10.2f %12s%n", name,
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                Double.isNaN(m.perSecond()) ? "-" : String.format(Locale.ROOT, "%.0f", m.perSecond()),
                h.getValueAtPercentile(50) / rtt,
                Double.isNaN(m.bytesPerOp()) ? "-" : String.format(Locale.ROOT, "%.0f", m.bytesPerOp()));
    }

    private static void goal(String name, double value, String relation, double goal) {
        boolean met = switch (relation) {
            case "<=" -> value <= goal;
            case "<" -> value < goal;
            case ">=" -> value >= goal;
            default -> throw new IllegalArgumentException(relation);
        };
        System.out.printf(Locale.ROOT, "%-52s %10.2f   %-2s %-8s %s%n", name, value, relation,
                goal == Math.rint(goal) ? String.valueOf((long) goal) : String.valueOf(goal), met ? "met" : "MISSED");
    }

    private static void ratio(String name, double value) {
        System.out.printf(Locale.ROOT, "%-52s %10.2f%n", name, value);
    }

    /** One row per path: the latency at each percentile, in microseconds. */
    static String csv(Map<String, Histogram> curves) {
        StringBuilder b = new StringBuilder("path");
        for (double p : PERCENTILES) {
            b.append(",p").append(p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p)).append("_us");
        }
        b.append('\n');
        curves.forEach((name, h) -> {
            b.append(name);
            for (double p : PERCENTILES) {
                b.append(',').append(String.format(Locale.ROOT, "%.1f", h.getValueAtPercentile(p) / 1000.0));
            }
            b.append('\n');
        });
        return b.toString();
    }

    /** A line chart of latency (log scale) against percentile, one line per path. */
    static String svg(Map<String, Histogram> curves) {
        int width = 720;
        int height = 420;
        int left = 70;
        int right = 200;
        int top = 30;
        int bottom = 50;
        double max = 1;
        double min = Double.MAX_VALUE;
        for (Histogram h : curves.values()) {
            for (double p : PERCENTILES) {
                double v = h.getValueAtPercentile(p) / 1000.0;
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
        }
        double lo = Math.pow(10, Math.floor(Math.log10(Math.max(1, min))));
        double hi = Math.pow(10, Math.ceil(Math.log10(max)));
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        String[] colours = {"#555555", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"};
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\">Latency by percentile, one "
                + "operation in flight (µs, log scale)</text>%n", left));
        for (double tick = lo; tick <= hi * 1.0001; tick *= 10) {
            double y = top + plotH - (Math.log10(tick) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) * plotH;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", left, y, left + plotW, y, left - 6,
                    y + 4, tick >= 1000 ? String.format(Locale.ROOT, "%.0fk", tick / 1000) : String.format(Locale.ROOT,
                            "%.0f", tick)));
        }
        for (int i = 0; i < PERCENTILES.length; i++) {
            double x = left + (double) i / (PERCENTILES.length - 1) * plotW;
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">p%s</text>%n", x,
                    top + plotH + 20, PERCENTILES[i] == Math.rint(PERCENTILES[i])
                            ? String.valueOf((long) PERCENTILES[i]) : String.valueOf(PERCENTILES[i])));
        }
        int series = 0;
        for (Map.Entry<String, Histogram> e : curves.entrySet()) {
            String colour = colours[series % colours.length];
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < PERCENTILES.length; i++) {
                double v = Math.max(lo, e.getValue().getValueAtPercentile(PERCENTILES[i]) / 1000.0);
                double x = left + (double) i / (PERCENTILES.length - 1) * plotW;
                double y = top + plotH - (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) * plotH;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            s.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                    + "points=\"%s\"/>%n", colour, points.toString().trim()));
            int ly = top + 20 + series * 20;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    + "stroke-width=\"2\"/><text x=\"%d\" y=\"%d\">%s</text>%n", left + plotW + 15, ly,
                    left + plotW + 35, ly, colour, left + plotW + 40, ly + 4, e.getKey()));
            series++;
        }
        s.append("</svg>\n");
        return s.toString();
    }

}
