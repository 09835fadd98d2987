package io.mpreg.it.sim;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.FrameReceiver;
import io.mpreg.api.spi.transport.PeerEvent;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.mpreg.it.sim.Simulation.millis;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The simulated network's link model: detection delays, cuts, and a peer that restarts faster than it is missed. */
class SimNetworkTest {
    private static final NodeId A = NodeId.of("a", "gw");
    private static final NodeId B = NodeId.of("b", "gw");
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 1);

    private final Simulation sim = new Simulation(1);
    private final SimNetwork network = new SimNetwork(sim);
    private final SimTransportProvider provider = new SimTransportProvider(network);

    /** What one end saw, in order: "UP b", "DOWN b", "frame b x". */
    private static final class Log implements FrameReceiver {
        final List<String> seen = new ArrayList<>();

        @Override
        public void onFrame(NodeId from, ByteBuffer frame) {
            byte[] b = new byte[frame.remaining()];
            frame.get(b);
            seen.add("frame " + from.cluster() + " " + new String(b, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void onPeerEvent(PeerEvent event) {
            seen.add(event.kind() + " " + event.peer().cluster());
        }
    }

    private Transport start(NodeId self, NodeId peer, Log log) {
        Transport t = provider.create(TransportConfig.defaults(self, ANY).withPeers(Map.of(peer, ANY)));
        sim.after(0, "start", () -> t.start(log));
        sim.runUntil(sim.now());
        return t;
    }

    private void at(long ms, Runnable action) {
        sim.after(millis(ms) - sim.now(), "test", action);
        sim.runUntil(millis(ms));
    }

    @Test
    void linksComeUpGoDownOnACutAndReturnOnTheHeal() {
        Log atA = new Log();
        Log atB = new Log();
        Transport a = start(A, B, atA);
        start(B, A, atB);
        sim.runUntil(millis(100));
        assertEquals(List.of("UP b"), atA.seen);
        at(200, () -> network.cut(A, B));
        sim.runUntil(millis(1_000));
        assertEquals(List.of("UP b", "DOWN b"), atA.seen);
        assertEquals(SendStatus.PEER_DOWN, a.send(B, new byte[] {1}));
        at(1_100, network::healAll);
        sim.runUntil(millis(1_200));
        assertEquals(List.of("UP b", "DOWN b", "UP b"), atA.seen);
    }

    /**
     * B crashes and a new B starts 10 ms later, long before A's failure detector would notice: A still sees the old
     * connection end (DOWN, UP) before the new B's first frame, as a real transport would.
     */
    @Test
    void aPeerThatRestartsFasterThanItIsMissedStillEndsItsOldLink() {
        Log atA = new Log();
        start(A, B, atA);
        Transport b = start(B, A, new Log());
        sim.runUntil(millis(100));
        at(200, b::close);
        Log atB2 = new Log();
        Transport[] b2 = new Transport[1];
        at(210, () -> {
            b2[0] = provider.create(TransportConfig.defaults(B, ANY).withPeers(Map.of(A, ANY)));
            b2[0].start(atB2);
        });
        sim.runUntil(millis(250));
        at(260, () -> b2[0].send(A, "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        sim.runUntil(millis(2_000));
        assertEquals(List.of("UP b", "DOWN b", "UP b", "frame b hello"), atA.seen);
    }
}
