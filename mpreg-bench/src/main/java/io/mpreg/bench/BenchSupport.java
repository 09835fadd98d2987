package io.mpreg.bench;

import io.mpreg.api.DeliveryResult;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** What the end-to-end harnesses share: quiet plugin logs, loopback ports, a windowed throughput run. */
final class BenchSupport {
    /**
     * A latency histogram (nanoseconds, one operation at a time), a throughput (operations per second), and the bytes
     * the whole JVM allocated per operation during the throughput run (NaN where not measured).
     */
    record Measured(org.HdrHistogram.Histogram latency, double perSecond, double bytesPerOp) {
        Measured(org.HdrHistogram.Histogram latency, double perSecond) {
            this(latency, perSecond, Double.NaN);
        }

        double p50Micros() {
            return latency.getValueAtPercentile(50) / 1000.0;
        }

        double p99Micros() {
            return latency.getValueAtPercentile(99) / 1000.0;
        }
    }

    /** Held so the levels stick: the plugins log through System.Logger, which is java.util.logging here. */
    private static final Logger MPREG = Logger.getLogger("io.mpreg");
    private static final Logger JGROUPS = Logger.getLogger("org.jgroups");

    private BenchSupport() {
    }

    static void quietLogs() {
        MPREG.setLevel(Level.WARNING);
        JGROUPS.setLevel(Level.SEVERE);
    }

    /**
     * A queue capacity that holds every message of a run: the harnesses measure the sending path, and a subscriber
     * that falls behind (the queue's depth grows at the highest rates) would otherwise have the queue refuse sends.
     */
    static int capacityFor(long messages) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(100_000, messages + 1_000));
    }

    static InetSocketAddress freeLoopback() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), probe.getLocalPort());
        }
    }

    static void check(DeliveryResult r, String what) {
        if (!r.success()) {
            throw new IllegalStateException(what + ": " + r);
        }
    }

    /**
     * Sends {@code count} messages with at most {@code window} in flight and checks every result.
     *
     * @return messages per second
     */
    static double windowed(int count, int window, Supplier<CompletableFuture<DeliveryResult>> send, String what)
            throws Exception {
        return windowed(count, window, send, r -> check(r, what));
    }

    /**
     * Runs {@code count} asynchronous operations with at most {@code window} in flight and hands every result to
     * {@code check}.
     *
     * @return operations per second
     */
    static <T> double windowed(int count, int window, Supplier<CompletableFuture<T>> operation,
                               java.util.function.Consumer<T> check) throws Exception {
        Semaphore inFlight = new Semaphore(window);
        ArrayDeque<CompletableFuture<T>> futures = new ArrayDeque<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            CompletableFuture<T> f = operation.get();
            f.whenComplete((r, e) -> inFlight.release());
            futures.add(f);
            if (futures.size() > window * 4) {
                check.accept(futures.poll().get(30, TimeUnit.SECONDS));
            }
        }
        while (!futures.isEmpty()) {
            check.accept(futures.poll().get(30, TimeUnit.SECONDS));
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * The bytes every live thread of this JVM has allocated so far (HotSpot's per-thread counters; threads that ended
     * are not counted, and the nodes' threads live through a run), or -1 without them.
     */
    static long allocatedBytes() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean hotspot) || !hotspot.isThreadAllocatedMemoryEnabled()) {
            return -1;
        }
        long sum = 0;
        for (long bytes : hotspot.getThreadAllocatedBytes(hotspot.getAllThreadIds())) {
            sum += Math.max(0, bytes);
        }
        return sum;
    }

    /**
     * 64-byte messages to queue "bench" from {@code sender} with {@code options}: {@code latencyRounds} one at a time
     * after as many warm-up ones (latency), then {@code throughputRounds} with {@code window} in flight (rate).
     */
    static Measured sends(io.mpreg.federation.FederationNode sender, io.mpreg.api.DeliveryOptions options,
                          int latencyRounds, int throughputRounds, int window, String what) throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(9);
        byte[] payload = new byte[64];
        long waitSeconds = options.timeout().toSeconds();
        org.HdrHistogram.Histogram latency = new org.HdrHistogram.Histogram(
                java.util.concurrent.TimeUnit.SECONDS.toNanos(waitSeconds), 3);
        for (int i = 0; i < latencyRounds * 2; i++) {
            long start = System.nanoTime();
            check(sender.send(io.mpreg.api.Message.builder("bench").payload(payload).build(random), options)
                    .get(waitSeconds, java.util.concurrent.TimeUnit.SECONDS), what);
            if (i >= latencyRounds) {
                latency.recordValue(System.nanoTime() - start);
            }
        }
        long allocated = allocatedBytes();
        double perSecond = windowed(throughputRounds, window,
                () -> sender.send(io.mpreg.api.Message.builder("bench").payload(payload).build(random), options), what);
        return new Measured(latency, perSecond, (double) (allocatedBytes() - allocated) / throughputRounds);
    }

    /** An empty directory {@code name} under {@code root} (what an earlier run left there is deleted). */
    static java.nio.file.Path freshDirectory(java.nio.file.Path root, String name) {
        java.nio.file.Path dir = root.resolve(name);
        try {
            if (java.nio.file.Files.exists(dir)) {
                try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
                    for (java.nio.file.Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        java.nio.file.Files.delete(p);
                    }
                }
            }
            return java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
