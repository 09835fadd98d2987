package io.mpreg.tck;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.FrameTooLargeException;
import io.mpreg.api.spi.transport.PeerEvent;
import io.mpreg.api.spi.transport.PeerState;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportProvider;
import io.mpreg.api.spi.transport.UnknownPeerException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transport contract kit: JUnit 5 tests that any {@link TransportProvider} runs against itself. Subclass it in
 * your plugin's test sources, return your provider from {@link #provider()}, and run it with your other tests:
 * <pre>{@code
 * class QuicTransportContractTest extends TransportContract {
 *     protected TransportProvider provider() { return new QuicTransportProvider(); }
 * }
 * }</pre>
 * Every test builds real nodes on loopback addresses ({@link LoopbackPorts}), full-mesh configured, with short
 * failure-detection settings, and closes them afterwards. Override {@link #configure} to add plugin options (TLS
 * material, say) and {@link #crash} if your transport can die more abruptly than {@code close()}.
 *
 * <p>Waits are conditions with deadlines ({@link #patience()}), never fixed sleeps; every assertion states the
 * exact expected value.
 *
 * @since 0.1.0
 */
public abstract class TransportContract extends TransportContractBase {

    /** For subclasses. */
    protected TransportContract() {
    }

    @AfterEach
    final void closeNodes() {
        closeAll();
    }

    @Test
    public void startAndCloseAreIdempotentAndReleaseThreadsAndSockets() throws Exception {
        ResourceSnapshot before = ResourceSnapshot.take();
        List<TckNode> mesh = mesh(2);
        TckNode a = mesh.get(0);
        TckNode b = mesh.get(1);
        Transport unstarted = a.transport();
        assertThrows(IllegalStateException.class, () -> unstarted.send(b.id(), new byte[] {1}),
                "send before start");
        startAll(mesh);
        awaitLinked(mesh);
        assertThrows(IllegalStateException.class, () -> a.transport().start(new RecordingReceiver()),
                "second start");
        assertEquals(SendStatus.ACCEPTED, a.transport().send(b.id(), new byte[] {7}));
        awaitFrames(b, a.id(), 1);

        closeAll();
        a.transport().close();
        b.transport().close();
        assertThrows(IllegalStateException.class, () -> a.transport().send(b.id(), new byte[] {1}),
                "send after close");
        assertThrows(IllegalStateException.class, () -> a.transport().start(new RecordingReceiver()),
                "start after close");
        Await.until(patience(), "threads and file descriptors released after close",
                () -> before.newThreads().isEmpty() && before.extraOpenFiles() <= 0, before::toString);
        for (TckNode node : mesh) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(node.config().bindAddress()); // nothing still listens there
            }
        }
        assertEquals(List.of(), a.receiver().violations());
    }

    @Test
    public void peersComeUpAndGoDownWithEvents() {
        List<TckNode> mesh = startAll(mesh(3));
        awaitLinked(mesh);
        for (TckNode node : mesh) {
            for (TckNode other : mesh) {
                if (other != node) {
                    assertEquals(List.of(PeerEvent.Kind.UP), node.receiver().kinds(other.id()), node + " about " + other);
                    assertEquals(PeerState.UP, node.transport().peers().get(other.id()));
                }
            }
        }
        TckNode gone = mesh.get(1);
        crash(gone.transport());
        for (TckNode node : List.of(mesh.get(0), mesh.get(2))) {
            Await.until(patience(), node.id() + " sees " + gone.id() + " down",
                    () -> node.receiver().kinds(gone.id()).equals(List.of(PeerEvent.Kind.UP, PeerEvent.Kind.DOWN)),
                    () -> node.receiver().events(gone.id()));
            Await.until(patience(), node.id() + " lists " + gone.id() + " as down",
                    () -> node.transport().peers().get(gone.id()) == PeerState.DOWN, node::toString);
            assertEquals(SendStatus.PEER_DOWN, node.transport().send(gone.id(), new byte[] {1}));
        }
        assertEquals(PeerState.UP, mesh.get(0).transport().peers().get(mesh.get(2).id()), "the others stay linked");
        assertNoViolations(mesh);
    }

    @Test
    public void framesArriveIntactAndInOrderPerPeer() {
        List<TckNode> mesh = startAll(mesh(2));
        awaitLinked(mesh);
        TckNode a = mesh.get(0);
        TckNode b = mesh.get(1);
        int frames = 2000;
        Thread ab = new Thread(() -> sendAll(a, b.id(), frames, 11));
        Thread ba = new Thread(() -> sendAll(b, a.id(), frames, 22));
        ab.start();
        ba.start();
        awaitFrames(b, a.id(), frames);
        awaitFrames(a, b.id(), frames);
        List<byte[]> atB = b.receiver().frames(a.id());
        List<byte[]> atA = a.receiver().frames(b.id());
        for (int i = 0; i < frames; i++) {
            assertArrayEquals(pattern(11, i), atB.get(i), "frame " + i + " a->b");
            assertArrayEquals(pattern(22, i), atA.get(i), "frame " + i + " b->a");
        }
        assertNoViolations(mesh);
    }

    @Test
    public void oneByteSixtyFourKibAndMaxSizeFramesArrive() {
        int cap = 4 * 1024 * 1024;
        List<TckNode> mesh = startAll(mesh(2, c -> c.withMaxFrameBytes(cap)));
        awaitLinked(mesh);
        TckNode a = mesh.get(0);
        TckNode b = mesh.get(1);
        int[] sizes = {1, 64 * 1024, cap, 1};
        for (int i = 0; i < sizes.length; i++) {
            assertEquals(SendStatus.ACCEPTED, sendWhenQueued(a, b.id(), sized(sizes[i], i)));
        }
        awaitFrames(b, a.id(), sizes.length);
        List<byte[]> got = b.receiver().frames(a.id());
        for (int i = 0; i < sizes.length; i++) {
            assertArrayEquals(sized(sizes[i], i), got.get(i), "frame of " + sizes[i] + " bytes");
        }
        assertNoViolations(mesh);
    }

    @Test
    public void frameOverTheCapIsRefusedClearlyAndTheLinkSurvives() {
        int cap = 256 * 1024;
        List<TckNode> mesh = startAll(mesh(2, c -> c.withMaxFrameBytes(cap)));
        awaitLinked(mesh);
        TckNode a = mesh.get(0);
        TckNode b = mesh.get(1);
        FrameTooLargeException tooBig = assertThrows(FrameTooLargeException.class,
                () -> a.transport().send(b.id(), new byte[cap + 1]));
        assertEquals(cap + 1, tooBig.size());
        assertEquals(cap, tooBig.cap());
        assertTrue(tooBig.getMessage().contains(String.valueOf(cap + 1)), tooBig.getMessage());
        FrameTooLargeException empty = assertThrows(FrameTooLargeException.class,
                () -> a.transport().send(b.id(), new byte[0]));
        assertEquals(0, empty.size());
        assertEquals(SendStatus.ACCEPTED, a.transport().send(b.id(), new byte[] {42}));
        awaitFrames(b, a.id(), 1);
        assertArrayEquals(new byte[] {42}, b.receiver().frames(a.id()).get(0));
        assertEquals(List.of(PeerEvent.Kind.UP), b.receiver().kinds(a.id()), "the link never went down");
        assertEquals(List.of(PeerEvent.Kind.UP), a.receiver().kinds(b.id()), "the link never went down");
    }

    @Test
    public void concurrentSendersKeepEachSendersOrder() throws Exception {
        List<TckNode> mesh = startAll(mesh(2));
        awaitLinked(mesh);
        TckNode a = mesh.get(0);
        TckNode b = mesh.get(1);
        int senders = 4;
        int each = 500;
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            threads.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    byte[] frame = ByteBuffer.allocate(5 + (i % 97)).put((byte) sender).putInt(i).array();
                    assertEquals(SendStatus.ACCEPTED, sendWhenQueued(a, b.id(), frame));
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(patience().toMillis());
        }
        awaitFrames(b, a.id(), senders * each);
        int[] next = new int[senders];
        for (byte[] frame : b.receiver().frames(a.id())) {
            ByteBuffer buf = ByteBuffer.wrap(frame);
            int sender = buf.get();
            assertEquals(next[sender], buf.getInt(), "sender " + sender + "'s order");
            assertEquals(5 + next[sender] % 97, frame.length);
            next[sender]++;
        }
        assertArrayEquals(new int[] {each, each, each, each}, next);
        assertNoViolations(mesh);
    }

    @Test
    public void backPressureIsVisibleAndNothingIsDroppedSilently() throws Exception {
        List<TckNode> mesh = startAll(mesh(2, c -> c.withSendQueueCapacity(4)));
        awaitLinked(mesh);
        TckNode a = mesh.get(0);
        TckNode b = mesh.get(1);
        CountDownLatch release = new CountDownLatch(1);
        b.receiver().hook((from, frame) -> {
            try {
                release.await(patience().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int frameBytes = 256 * 1024;
        int[] accepted = {0};
        int[] refused = {0};
        Await.until(patience(), "a's queue to " + b.id() + " full and the link backlogged", () -> {
            SendStatus status = a.transport().send(b.id(), sized(frameBytes, accepted[0]));
            if (status == SendStatus.ACCEPTED) {
                accepted[0]++;
                return false;
            }
            assertEquals(SendStatus.QUEUE_FULL, status, "a backlogged, live peer is QUEUE_FULL, not " + status);
            refused[0]++;
            return a.transport().peers().get(b.id()) == PeerState.BACKLOGGED;
        }, () -> accepted[0] + " accepted, " + refused[0] + " refused, " + a);
        release.countDown();
        awaitFrames(b, a.id(), accepted[0]);
        List<byte[]> got = b.receiver().frames(a.id());
        assertEquals(accepted[0], got.size(), "every accepted frame arrived, no refused one did");
        for (int i = 0; i < accepted[0]; i++) {
            assertArrayEquals(sized(frameBytes, i), got.get(i), "frame " + i);
        }
        Await.until(patience(), "the queue drained", () -> a.transport().peers().get(b.id()) == PeerState.UP, a::toString);
        assertEquals(SendStatus.ACCEPTED, a.transport().send(b.id(), new byte[] {1}));
        assertEquals(List.of(PeerEvent.Kind.UP), a.receiver().kinds(b.id()), "backlog is not death");
        assertNoViolations(mesh);
    }

    @Test
    public void aPeerThatDiesIsReportedDownAndUpAgainWhenItReturns() {
        List<TckNode> mesh = startAll(mesh(2));
        awaitLinked(mesh);
        for (int round = 0; round < 2; round++) {
            TckNode dying = mesh.get(round); // once each end of the link
            TckNode survivor = mesh.get(1 - round);
            int eventsBefore = survivor.receiver().kinds(dying.id()).size();
            crash(dying.transport());
            Await.until(patience(), survivor.id() + " sees " + dying.id() + " down",
                    () -> survivor.receiver().kinds(dying.id()).size() == eventsBefore + 1,
                    () -> survivor.receiver().events(dying.id()));
            dying.restart();
            Await.until(patience(), survivor.id() + " sees " + dying.id() + " up again",
                    () -> survivor.receiver().kinds(dying.id()).size() == eventsBefore + 2,
                    () -> survivor.receiver().events(dying.id()));
            awaitLinked(mesh);
            assertEquals(SendStatus.ACCEPTED, sendWhenQueued(survivor, dying.id(), new byte[] {(byte) round}));
            assertEquals(SendStatus.ACCEPTED, sendWhenQueued(dying, survivor.id(), new byte[] {(byte) round}));
            awaitFrames(dying, survivor.id(), 1);
            assertArrayEquals(new byte[] {(byte) round}, dying.receiver().frames(survivor.id()).get(0));
        }
        assertEquals(List.of(PeerEvent.Kind.UP, PeerEvent.Kind.DOWN, PeerEvent.Kind.UP),
                mesh.get(0).receiver().kinds(mesh.get(1).id()), "restarted in round 0, then saw its peer die and return");
        assertNoViolations(mesh);
    }

    /**
     * {@link io.mpreg.api.spi.transport.Transport#disconnect}: a transport that closes a peer's link on request
     * reports it DOWN, links again and carries frames; one that cannot (returns false) is skipped here, and must leave
     * the link as it was.
     */
    @Test
    public void disconnectClosesThePeersLinkWhichComesBackOrSaysItCannot() {
        List<TckNode> mesh = startAll(mesh(2));
        awaitLinked(mesh);
        TckNode a = mesh.get(0);
        TckNode b = mesh.get(1);
        assertEquals(false, a.transport().disconnect(NodeId.of("tck-stranger", "gw"), "contract kit"),
                "an unknown peer has no link to close");
        boolean closed = a.transport().disconnect(b.id(), "contract kit: protocol violation");
        if (!closed) {
            assertEquals(SendStatus.ACCEPTED, sendWhenQueued(a, b.id(), new byte[] {7}));
            awaitFrames(b, a.id(), 1);
            assertEquals(List.of(PeerEvent.Kind.UP), a.receiver().kinds(b.id()), "the link was left as it was");
            org.junit.jupiter.api.Assumptions.abort("this transport cannot close a single peer's link");
        }
        Await.until(patience(), a.id() + " reports " + b.id() + " down, then up again",
                () -> a.receiver().kinds(b.id()).equals(List.of(PeerEvent.Kind.UP, PeerEvent.Kind.DOWN,
                        PeerEvent.Kind.UP)), () -> a.receiver().events(b.id()));
        awaitLinked(mesh);
        assertEquals(SendStatus.ACCEPTED, sendWhenQueued(a, b.id(), new byte[] {8}));
        assertEquals(SendStatus.ACCEPTED, sendWhenQueued(b, a.id(), new byte[] {9}));
        awaitFrames(b, a.id(), 1);
        awaitFrames(a, b.id(), 1);
        assertNoViolations(mesh);
    }

    @Test
    public void sendToAnUnknownPeerFailsClearlyAndToADownPeerSaysSo() {
        Map<NodeId, InetSocketAddress> peers = new LinkedHashMap<>();
        NodeId absent = NodeId.of("tck-absent", "gw");
        peers.put(absent, LoopbackPorts.next());
        TckNode a = node(NodeId.of("tck-a", "gw"), LoopbackPorts.next(), peers).start();
        NodeId stranger = NodeId.of("tck-stranger", "gw");
        UnknownPeerException e = assertThrows(UnknownPeerException.class,
                () -> a.transport().send(stranger, new byte[] {1}));
        assertEquals(stranger, e.peer());
        assertTrue(e.getMessage().contains("tck-stranger/gw"), e.getMessage());
        assertEquals(SendStatus.PEER_DOWN, a.transport().send(absent, new byte[] {1}));
        assertEquals(Map.of(absent, PeerState.DOWN), a.transport().peers());
    }

    @Test
    public void aReceiverThatThrowsLosesOnlyThatFrame() {
        List<TckNode> mesh = startAll(mesh(2));
        awaitLinked(mesh);
        TckNode a = mesh.get(0);
        TckNode b = mesh.get(1);
        b.receiver().hook((from, frame) -> {
            if (frame.get(frame.position()) == 13) {
                throw new IllegalStateException("receiver failure injected by the contract kit");
            }
        });
        for (byte value : new byte[] {1, 13, 2}) {
            assertEquals(SendStatus.ACCEPTED, sendWhenQueued(a, b.id(), new byte[] {value}));
        }
        awaitFrames(b, a.id(), 2);
        assertArrayEquals(new byte[] {1}, b.receiver().frames(a.id()).get(0));
        assertArrayEquals(new byte[] {2}, b.receiver().frames(a.id()).get(1));
        assertEquals(List.of(PeerEvent.Kind.UP), b.receiver().kinds(a.id()));
    }

    private void sendAll(TckNode from, NodeId to, int frames, int seed) {
        for (int i = 0; i < frames; i++) {
            assertEquals(SendStatus.ACCEPTED, sendWhenQueued(from, to, pattern(seed, i)));
        }
    }

    /** Frame {@code i} of stream {@code seed}: 1 to 8192 bytes of a recognisable pattern. */
    private static byte[] pattern(int seed, int i) {
        int length = 1 + (int) (((i + 1L) * 2_654_435_761L + seed) % 8192);
        return sized(length, i * 31 + seed);
    }

    /** {@code size} bytes, distinct for each {@code salt}. */
    private static byte[] sized(int size, int salt) {
        byte[] out = new byte[size];
        int x = salt * 0x9E3779B9 + 1;
        for (int i = 0; i < size; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            out[i] = (byte) x;
        }
        return out;
    }

    private static void assertNoViolations(List<TckNode> mesh) {
        for (TckNode node : mesh) {
            assertEquals(List.of(), node.receiver().violations(), "receiver contract at " + node.id());
        }
    }
}
