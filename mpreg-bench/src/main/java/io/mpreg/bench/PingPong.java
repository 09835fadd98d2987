package io.mpreg.bench;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.FrameReceiver;
import io.mpreg.api.spi.transport.PeerEvent;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportProvider;
import org.HdrHistogram.Histogram;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Loopback ping-pong round-trip times: a plain blocking-socket echo (the floor) and each named transport plugin
 * (one node echoes every frame it gets back to the sender), measured one after another in one JVM with the same
 * warm-up and the same message size, one message in flight. Prints p50/p90/p99/p99.9 in microseconds and each
 * transport's p50 as a multiple of the plain socket's.
 *
 * <pre>
 * mvn -q -DskipTests package -pl mpreg-bench -am
 * java -cp mpreg-bench/target/benchmarks.jar io.mpreg.bench.PingPong [--transports tcp,jgroups] [--bytes 64]
 *      [--warmup 20000] [--rounds 50000] [--repeat 2]
 * </pre>
 */
public final class PingPong {
    private final int bytes;
    private final int warmup;
    private final int rounds;

    PingPong(int bytes, int warmup, int rounds) {
        this.bytes = bytes;
        this.warmup = warmup;
        this.rounds = rounds;
    }

    public static void main(String[] args) throws Exception {
        BenchSupport.quietLogs();
        Map<String, String> options = new LinkedHashMap<>(Map.of("transports", "tcp,jgroups", "bytes", "64", "warmup",
                "20000", "rounds", "50000", "repeat", "2"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (!options.containsKey(key)) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + options.keySet());
            }
            options.put(key, args[i + 1]);
        }
        PingPong run = new PingPong(Integer.parseInt(options.get("bytes")), Integer.parseInt(options.get("warmup")),
                Integer.parseInt(options.get("rounds")));
        List<String> transports = List.of(options.get("transports").split(","));
        System.out.printf("ping-pong on loopback: %d-byte messages, %d warm-up and %d measured round trips, JDK %s%n",
                run.bytes, run.warmup, run.rounds, System.getProperty("java.version"));
        System.out.printf("%-12s %9s %9s %9s %9s %9s   %s%n", "path", "p50 us", "p90 us", "p99 us", "p99.9 us",
                "max us", "p50 / plain p50");
        for (int r = 0; r < Integer.parseInt(options.get("repeat")); r++) {
            Histogram plain = run.plainSockets();
            print("plain", plain, plain);
            for (String name : transports) {
                print(name, run.transport(provider(name)), plain);
            }
        }
    }

    private static void print(String name, Histogram h, Histogram floor) {
        System.out.printf("%-12s %9.1f %9.1f %9.1f %9.1f %9.1f   %.2fx%n", name, us(h, 50), us(h, 90), us(h, 99),
                us(h, 99.9), h.getMaxValue() / 1000.0,
                (double) h.getValueAtPercentile(50) / floor.getValueAtPercentile(50));
    }

    private static double us(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }

    static TransportProvider provider(String name) {
        for (TransportProvider p : ServiceLoader.load(TransportProvider.class)) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no transport plugin named " + name + " on the class path");
    }

    /** Blocking sockets with TCP_NODELAY: the client writes and waits for the echo; an echo thread answers. */
    Histogram plainSockets() throws IOException, InterruptedException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            Thread echo = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.setTcpNoDelay(true);
                    DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
                    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
                    byte[] buf = new byte[bytes];
                    while (true) {
                        in.readFully(buf);
                        out.write(buf);
                        out.flush();
                    }
                } catch (IOException done) {
                    // client closed
                }
            }, "plain-echo");
            echo.start();
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            try (Socket client = new Socket(loopback, server.getLocalPort())) {
                client.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream()));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(client.getOutputStream()));
                byte[] buf = new byte[bytes];
                for (int i = 0; i < warmup + rounds; i++) {
                    long start = System.nanoTime();
                    out.write(buf);
                    out.flush();
                    in.readFully(buf);
                    if (i >= warmup) {
                        h.recordValue(System.nanoTime() - start);
                    }
                }
            }
            echo.join(TimeUnit.SECONDS.toMillis(10));
            return h;
        }
    }

    /**
     * The raw transport's one-way throughput: "ow-a" sends {@code count} frames of {@code bytes} to "ow-b" as fast as
     * the transport accepts them (a refused send, back-pressure, is retried), after as many warm-up frames.
     *
     * @return frames received per second
     */
    static double oneWay(String transport, int bytes, int count) throws Exception {
        TransportProvider provider = provider(transport);
        NodeId a = NodeId.of("ow-a", "gw");
        NodeId b = NodeId.of("ow-b", "gw");
        InetSocketAddress aAddress = BenchSupport.freeLoopback();
        InetSocketAddress bAddress = BenchSupport.freeLoopback();
        java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.CountDownLatch up = new java.util.concurrent.CountDownLatch(1);
        FrameReceiver counter = new FrameReceiver() {
            @Override
            public void onFrame(NodeId from, ByteBuffer frame) {
                received.incrementAndGet();
            }

            @Override
            public void onPeerEvent(PeerEvent event) {
            }
        };
        try (Transport tb = provider.create(TransportConfig.defaults(b, bAddress).withPeers(Map.of(a, aAddress))
                .withSendQueueCapacity(8192));
             Transport ta = provider.create(TransportConfig.defaults(a, aAddress).withPeers(Map.of(b, bAddress))
                     .withSendQueueCapacity(8192))) {
            tb.start(counter);
            ta.start(new FrameReceiver() {
                @Override
                public void onFrame(NodeId from, ByteBuffer frame) {
                }

                @Override
                public void onPeerEvent(PeerEvent event) {
                    if (event.kind() == PeerEvent.Kind.UP) {
                        up.countDown();
                    }
                }
            });
            if (!up.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(transport + ": nodes did not link within 30 s");
            }
            byte[] frame = new byte[bytes];
            long start = 0;
            for (int i = 0; i < count * 2; i++) {
                if (i == count) {
                    long target = count;
                    waitFor(() -> received.get() >= target, transport);
                    start = System.nanoTime();
                }
                while (ta.send(b, frame) != SendStatus.ACCEPTED) {
                    Thread.onSpinWait(); // the queue is full: the transport pushes back, nothing is lost
                }
            }
            long target = 2L * count;
            waitFor(() -> received.get() >= target, transport);
            return count / ((System.nanoTime() - start) / 1e9);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier done, String what) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new IllegalStateException(what + ": frames missing after 60 s");
            }
            Thread.onSpinWait();
        }
    }

    /** Two transports on loopback; "pp-b" echoes every frame back to "pp-a", which waits for it. */
    private Histogram transport(TransportProvider provider) throws InterruptedException, IOException {
        NodeId a = NodeId.of("pp-a", "gw");
        NodeId b = NodeId.of("pp-b", "gw");
        InetSocketAddress aAddress = BenchSupport.freeLoopback();
        InetSocketAddress bAddress = BenchSupport.freeLoopback();
        Echo echo = new Echo();
        Waiter waiter = new Waiter(a, b);
        try (Transport tb = provider.create(TransportConfig.defaults(b, bAddress).withPeers(Map.of(a, aAddress)));
             Transport ta = provider.create(TransportConfig.defaults(a, aAddress).withPeers(Map.of(b, bAddress)))) {
            echo.transport = tb;
            tb.start(echo);
            ta.start(waiter);
            if (!waiter.linked.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(provider.name() + ": nodes did not link within 30 s");
            }
            Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            byte[] frame = new byte[bytes];
            for (int i = 0; i < warmup + rounds; i++) {
                long start = System.nanoTime();
                waiter.expect(i + 1L);
                if (ta.send(b, frame) != SendStatus.ACCEPTED) {
                    throw new IllegalStateException(provider.name() + ": send refused at round " + i);
                }
                waiter.await();
                if (i >= warmup) {
                    h.recordValue(System.nanoTime() - start);
                }
            }
            return h;
        }
    }


    /** Sends every frame back to where it came from. */
    private static final class Echo implements FrameReceiver {
        volatile Transport transport;

        @Override
        public void onFrame(NodeId from, ByteBuffer frame) {
            byte[] copy = new byte[frame.remaining()];
            frame.get(copy);
            transport.send(from, copy);
        }

        @Override
        public void onPeerEvent(PeerEvent event) {
        }
    }

    /** Counts echoes and wakes the waiting client thread. */
    private static final class Waiter implements FrameReceiver {
        final CountDownLatch linked = new CountDownLatch(1);
        private final NodeId self;
        private final NodeId peer;
        private volatile long received;
        private volatile long expected;
        private volatile Thread client;

        Waiter(NodeId self, NodeId peer) {
            this.self = self;
            this.peer = peer;
        }

        void expect(long count) {
            client = Thread.currentThread();
            expected = count;
        }

        void await() {
            while (received < expected) {
                LockSupport.park(this);
            }
        }

        @Override
        public void onFrame(NodeId from, ByteBuffer frame) {
            received++; // one reader thread per peer: single writer
            LockSupport.unpark(client);
        }

        @Override
        public void onPeerEvent(PeerEvent event) {
            if (event.peer().equals(peer) && event.kind() == PeerEvent.Kind.UP) {
                linked.countDown();
            }
        }

        @Override
        public String toString() {
            return self + " waiting for " + peer;
        }
    }
}
