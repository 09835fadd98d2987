package io.mpreg.transport.tcp.internal;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.TransportConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A listening socket whose {@code accept()} fails (as it does when the process has no file descriptor left) does not
 * end inbound linking: the accept loop counts each failure, waits, and goes on; once accepting works again the peer
 * that dials in links and frames flow. With the old loop (one failure ended it) the peer never links.
 */
class AcceptFailureTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final NodeId DIALER = NodeId.of("node-a", "gw"); // the smaller id dials
    private static final NodeId LISTENER = NodeId.of("node-z", "gw");
    private static final int FAILURES = 5;

    /** Fails {@code accept()} while {@code failuresLeft} is positive, as the JDK does on EMFILE. */
    private static final class FailingServer extends ServerSocket {
        final AtomicInteger failuresLeft = new AtomicInteger(FAILURES);

        FailingServer() throws IOException {
            super();
        }

        @Override
        public Socket accept() throws IOException {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new SocketException("Too many open files");
            }
            return super.accept();
        }
    }

    @Test
    void acceptLoopBacksOffAndGoesOnAfterFailures() {
        FailingServer[] server = new FailingServer[1];
        TcpTransport listener = new TcpTransport(config(LISTENER, Map.of(DIALER, unused())),
                TcpOptions.from(PluginOptions.NONE), address -> {
                    server[0] = new FailingServer();
                    server[0].setReuseAddress(true);
                    server[0].bind(address, 64);
                    return server[0];
                });
        Recorder listenerSees = new Recorder();
        Recorder dialerSees = new Recorder();
        listener.start(listenerSees);
        TcpTransport dialer = new TcpTransport(config(DIALER, Map.of(LISTENER, listener.boundAddress())),
                TcpOptions.from(PluginOptions.NONE));
        try {
            dialer.start(dialerSees);
            Conditions.await(PATIENCE, "linked after " + FAILURES + " failed accepts",
                    () -> listenerSees.up(DIALER) && dialerSees.up(LISTENER), () -> listenerSees.events);
            assertEquals(FAILURES, listener.acceptFailures(), "each failed accept counted");
            assertEquals(SendStatus.ACCEPTED, dialer.send(LISTENER, "hi".getBytes(StandardCharsets.UTF_8)));
            Conditions.await(PATIENCE, "a frame over the link", () -> listenerSees.frames.contains(DIALER + ":hi"),
                    () -> listenerSees.frames);
        } finally {
            dialer.close();
            listener.close();
        }
    }

    private static InetSocketAddress unused() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 1);
    }

    private static TransportConfig config(NodeId self, Map<NodeId, InetSocketAddress> peers) {
        return TransportConfig.defaults(self, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withPeers(peers).withFailureDetection(Duration.ofMillis(100), Duration.ofMillis(600))
                .withReconnect(Duration.ofMillis(20), Duration.ofMillis(200));
    }
}
