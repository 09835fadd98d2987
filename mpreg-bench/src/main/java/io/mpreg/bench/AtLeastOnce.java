package io.mpreg.bench;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.NodeId;
import io.mpreg.federation.FederationNode;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * AT_LEAST_ONCE between two federation nodes on loopback, over each transport plugin in one JVM: latency with one
 * message in flight (send to acknowledgement, p50/p99) and throughput with a window of messages in flight
 * (acknowledged messages per second).
 *
 * <pre>
 * mvn -q -DskipTests package -pl mpreg-bench -am
 * java -cp mpreg-bench/target/benchmarks.jar io.mpreg.bench.AtLeastOnce [transports tcp,jgroups; tcp-unbatched: batching off] [bytes 256]
 *      [latencyMessages 20000] [throughputMessages 200000] [window 512]
 * </pre>
 */
public final class AtLeastOnce {

    /** A transport name with this suffix runs with batching off ({@code tcp-unbatched}). */
    private static final String UNBATCHED = "-unbatched";

    private AtLeastOnce() {
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogs();
        List<String> transports = List.of(arg(args, 0, "tcp,jgroups").split(","));
        int bytes = Integer.parseInt(arg(args, 1, "256"));
        int latencyMessages = Integer.parseInt(arg(args, 2, "20000"));
        int throughputMessages = Integer.parseInt(arg(args, 3, "200000"));
        int window = Integer.parseInt(arg(args, 4, "512"));
        System.out.printf("AT_LEAST_ONCE c1 -> c2 on loopback: %d-byte payloads; latency over %d messages one at a "
                + "time, throughput over %d with %d in flight; JDK %s%n", bytes, latencyMessages, throughputMessages,
                window, System.getProperty("java.version"));
        System.out.printf("%-14s %10s %10s %10s %14s%n", "transport", "p50 us", "p99 us", "p99.9 us", "acked msg/s");
        for (String transport : transports) {
            boolean unbatched = transport.endsWith(UNBATCHED);
            BenchSupport.Measured m = measure(unbatched ? transport.substring(0, transport.length()
                    - UNBATCHED.length()) : transport, bytes, latencyMessages, throughputMessages, window, null,
                    !unbatched);
            System.out.printf("%-14s %10.1f %10.1f %10.1f %14.0f%n", transport, m.p50Micros(), m.p99Micros(),
                    m.latency().getValueAtPercentile(99.9) / 1000.0, m.perSecond());
        }
    }

    private static String arg(String[] args, int i, String fallback) {
        return args.length > i ? args[i] : fallback;
    }

    /** One message at a time for latency (after as many warm-up messages), then {@code window} in flight. */
    static BenchSupport.Measured measure(String transport, int bytes, int latencyMessages, int throughputMessages,
                                         int window) throws Exception {
        return measure(transport, bytes, latencyMessages, throughputMessages, window, null);
    }

    /** As above; with {@code dataRoot} the receiver keeps its queue in a log there (acknowledging once synced). */
    static BenchSupport.Measured measure(String transport, int bytes, int latencyMessages, int throughputMessages,
                                         int window, java.nio.file.Path dataRoot) throws Exception {
        return measure(transport, bytes, latencyMessages, throughputMessages, window, dataRoot, true);
    }

    /** As above, with batching on or off ({@code FederationNodeBuilder.batching}). */
    static BenchSupport.Measured measure(String transport, int bytes, int latencyMessages, int throughputMessages,
                                         int window, java.nio.file.Path dataRoot, boolean batching) throws Exception {
        NodeId a = NodeId.of("c1", "gw");
        NodeId b = NodeId.of("c2", "gw");
        InetSocketAddress aAddress = BenchSupport.freeLoopback();
        InetSocketAddress bAddress = BenchSupport.freeLoopback();
        try (FederationNode sender = node(transport, a, aAddress, b, bAddress, null, batching);
             FederationNode receiver = node(transport, b, bAddress, a, aAddress, dataRoot, batching)) {
            receiver.start();
            sender.start();
            AtomicLong delivered = new AtomicLong();
            receiver.createQueue(io.mpreg.federation.queue.QueueConfig.fifo("bench")
                        .withCapacity(BenchSupport.capacityFor(latencyMessages * 2 + throughputMessages)));
            receiver.subscribe("bench", io.mpreg.federation.queue.SubscribeOptions.automaticAcks().withLocalOnly(true),
                    d -> delivered.incrementAndGet());
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!sender.reachableClusters().contains(ClusterId.of("c2"))) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException(transport + ": c2 unreachable after 30 s");
                }
                Thread.onSpinWait();
            }
            SplittableRandom random = new SplittableRandom(1);
            byte[] payload = new byte[bytes];
            DeliveryOptions options = DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE)
                    .withTargets(ClusterId.of("c2")).withTimeout(Duration.ofSeconds(30));
            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
            for (int i = 0; i < latencyMessages * 2; i++) { // first half warms up
                long start = System.nanoTime();
                DeliveryResult r = sender.send(Message.builder("bench").payload(payload).build(random), options)
                        .get(30, TimeUnit.SECONDS);
                if (!r.success()) {
                    throw new IllegalStateException(transport + ": " + r);
                }
                if (i >= latencyMessages) {
                    latency.recordValue(System.nanoTime() - start);
                }
            }
            long allocated = BenchSupport.allocatedBytes();
            double perSecond = BenchSupport.windowed(throughputMessages, window,
                    () -> sender.send(Message.builder("bench").payload(payload).build(random), options), transport);
            return new BenchSupport.Measured(latency, perSecond,
                    (double) (BenchSupport.allocatedBytes() - allocated) / throughputMessages);
        }
    }


    private static FederationNode node(String transport, NodeId self, InetSocketAddress address, NodeId peer,
                                       InetSocketAddress peerAddress, java.nio.file.Path dataRoot,
                                       boolean batching) {
        io.mpreg.federation.FederationNodeBuilder b = FederationNode.builder().federation("bench").node(self)
                .listen(address).peer(peer, peerAddress).transport(transport)
                .random(new SplittableRandom(self.hashCode())).insecure(true).batching(batching)
                .transportConfig(c -> c.withSendQueueCapacity(8192));
        if (dataRoot != null) {
            b.dataDirectory(BenchSupport.freshDirectory(dataRoot, self.cluster().value()));
        }
        return b.build();
    }

}
