package io.mpreg.bench;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.Message;
import io.mpreg.api.NodeId;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.queue.QueueConfig;
import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What durability costs, side by side in one JVM on one disk: the disk's own floor (a 64-byte append and an fsync,
 * one at a time), AT_LEAST_ONCE over tcp with the receiver in memory and with its log (latency one at a time,
 * throughput with 512 in flight), GLOBAL_QUORUM over tcp likewise (3 clusters, all durable or none), and recovery: a
 * node restarting with many live messages, and one that took many messages through and holds few.
 *
 * <pre>
 * mvn -q -DskipTests package -pl mpreg-bench -am
 * java -cp mpreg-bench/target/benchmarks.jar io.mpreg.bench.Durability [dataRoot target/durability] [scale 1.0]
 * </pre>
 * {@code scale} multiplies every count (at 1.0: 5,000 latency and 100,000 throughput messages, 1,000,000 live for
 * recovery, 10,000,000 through a queue holding 1,000).
 */
public final class Durability {

    /** How many messages may wait for the consumer while a long history is written. */
    private static final long BACKLOG = 20_000;

    private Durability() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogs();
        Path root = Path.of(args.length > 0 ? args[0] : "target/durability").toAbsolutePath();
        double scale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        int latency = (int) (5_000 * scale);
        int throughput = (int) (100_000 * scale);
        Files.createDirectories(root);
        System.out.printf(Locale.ROOT, "Durability: JDK %s, %d cores, data under %s; latency over %d one at a time "
                        + "(after as many warm-up), throughput over %d with 512 in flight%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), root, latency,
                throughput);

        Histogram fsync = fsyncFloor(root, latency * 2);
        // a discarded pass of both first: the JIT then favours neither the first measured nor the second
        AtLeastOnce.measure("tcp", 256, latency / 5, throughput / 5, 512, null);
        AtLeastOnce.measure("tcp", 256, latency / 5, throughput / 5, 512, root);
        BenchSupport.Measured aloMemory = AtLeastOnce.measure("tcp", 256, latency, throughput, 512, null);
        BenchSupport.Measured aloDurable = AtLeastOnce.measure("tcp", 256, latency, throughput, 512, root);
        BenchSupport.Measured gqMemory = GlobalQuorum.measure("tcp", latency, throughput / 4, 256, null);
        BenchSupport.Measured gqDurable = GlobalQuorum.measure("tcp", latency, throughput / 4, 256, root);

        System.out.println();
        System.out.printf(Locale.ROOT, "%-34s %10s %10s %14s%n", "path", "p50 us", "p99 us", "ops/s");
        System.out.printf(Locale.ROOT, "%-34s %10.1f %10.1f %14s%n", "disk: 64 B append + fsync",
                fsync.getValueAtPercentile(50) / 1000.0, fsync.getValueAtPercentile(99) / 1000.0, "-");
        row("AT_LEAST_ONCE tcp, in memory", aloMemory);
        row("AT_LEAST_ONCE tcp, durable", aloDurable);
        row("GLOBAL_QUORUM tcp, in memory", gqMemory);
        row("GLOBAL_QUORUM tcp, durable", gqDurable);
        System.out.println();
        System.out.println("ratio                                              measured   goal");
        ratio("at-least-once durable / in memory (throughput)", aloDurable.perSecond() / aloMemory.perSecond(),
                ">= 0.5");
        ratio("at-least-once durable p99 / fsync p99", aloDurable.latency().getValueAtPercentile(99)
                / (double) fsync.getValueAtPercentile(99), "<= 3");
        ratio("global quorum durable / in memory (throughput)", gqDurable.perSecond() / gqMemory.perSecond(), "-");
        System.out.printf(Locale.ROOT, "durable at-least-once acknowledged messages/s: %.0f (goal >= 10,000)%n",
                aloDurable.perSecond());

        recovery(root.resolve("recovery-live"), (int) (1_000_000 * scale), 0);
        recovery(root.resolve("recovery-through"), (int) (10_000_000 * scale), 1_000);
    }

    private static void row(String name, BenchSupport.Measured m) {
        System.out.printf(Locale.ROOT, "%-34s %10.1f %10.1f %14.0f%n", name, m.p50Micros(), m.p99Micros(),
                m.perSecond());
    }

    private static void ratio(String name, double value, String goal) {
        System.out.printf(Locale.ROOT, "%-50s %8.2f   %s%n", name, value, goal);
    }

    /** Appends 64 bytes and forces the file, {@code count} times; the second half is measured. */
    static Histogram fsyncFloor(Path root, int count) throws Exception {
        Path file = root.resolve("fsync-floor.bin");
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer record = ByteBuffer.allocate(64);
            long position = 0;
            for (int i = 0; i < count; i++) {
                record.clear();
                long start = System.nanoTime();
                ch.write(record, position);
                ch.force(false);
                if (i >= count / 2) {
                    h.recordValue(System.nanoTime() - start);
                }
                position += 64;
            }
        }
        Files.deleteIfExists(file);
        return h;
    }

    /**
     * Sends {@code total} local AT_LEAST_ONCE messages into a durable node's queue, a consumer taking all but the
     * last {@code keep} (nothing consumed when keep is 0: all stay live), closes it and times a restart.
     */
    private static void recovery(Path dir, int total, int keep) throws Exception {
        BenchSupport.freshDirectory(dir.getParent(), dir.getFileName().toString());
        NodeId id = NodeId.of("c1", "gw");
        DeliveryOptions options = DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)
                .withTargets(ClusterId.of("c1")).withTimeout(Duration.ofSeconds(60));
        QueueConfig queue = QueueConfig.fifo("recovery").withCapacity(Math.max(total, 1)).withDedupWindow(
                Duration.ofSeconds(1));
        long began = System.nanoTime();
        try (FederationNode node = node(id, dir)) {
            node.createQueue(queue);
            SplittableRandom random = new SplittableRandom(5);
            byte[] payload = new byte[64];
            java.util.concurrent.atomic.AtomicLong consumed = new java.util.concurrent.atomic.AtomicLong();
            if (keep > 0) {
                node.subscribe("recovery", io.mpreg.federation.queue.SubscribeOptions.automaticAcks()
                        .withLocalOnly(true), d -> consumed.incrementAndGet());
            }
            java.util.concurrent.atomic.AtomicLong issued = new java.util.concurrent.atomic.AtomicLong();
            BenchSupport.windowed(total - keep, 1024, () -> {
                // with a consumer, at most BACKLOG messages wait in the queue: the case is a long history and little
                // live state, not a backlog of millions (that is the other case)
                while (keep > 0 && issued.get() - consumed.get() > BACKLOG) {
                    Thread.onSpinWait();
                }
                issued.incrementAndGet();
                return node.send(Message.builder("recovery").payload(payload).build(random), options);
            }, "recovery");
            if (keep > 0) {
                while (consumed.get() < total - keep) {
                    Thread.onSpinWait();
                }
                node.close(); // the consumer goes first, so the last ones stay
            }
            FederationNode last = keep > 0 ? node(id, dir) : node;
            if (keep > 0) {
                BenchSupport.windowed(keep, 1024, () -> last.send(Message.builder("recovery").payload(payload)
                        .build(random), options), "recovery");
                last.close();
            }
        }
        double filled = (System.nanoTime() - began) / 1e9;
        long bytes;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            bytes = files.mapToLong(p -> p.toFile().length()).sum();
        }
        long start = System.nanoTime();
        try (FederationNode again = node(id, dir)) {
            double took = (System.nanoTime() - start) / 1e6;
            Map<String, io.mpreg.federation.queue.QueueStatistics> q = again.queueStatistics();
            System.out.printf(Locale.ROOT, "recovery: %,d messages sent (%.0f s), %,d live: restart took %.0f ms "
                            + "(%,d records read, directory %,d bytes, queue depth %,d)%n", total, filled,
                    keep > 0 ? keep : total, took, again.storageStatistics().recoveredRecords(), bytes,
                    q.get("recovery").depth());
        }
    }

    private static FederationNode node(NodeId id, Path dir) throws java.io.IOException {
        return FederationNode.builder().federation("recovery").node(id).listen(BenchSupport.freeLoopback())
                .transport("tcp").insecure(true).jmx(false).weights(1, Map.of(id.cluster(), 1L))
                .dataDirectory(dir).dedupWindow(Duration.ofSeconds(1), 1_000_000).build().start();
    }
}
