package io.mpreg.it;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.FrameReceiver;
import io.mpreg.api.spi.transport.PeerEvent;
import io.mpreg.api.spi.transport.PeerState;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportProvider;
import io.mpreg.federation.internal.wire.WireCodec;
import io.mpreg.federation.internal.wire.WireMessage;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A firewall between nodes for tests: wraps a real transport provider; each transport it creates silently drops the
 * frames a test blocks, in one direction ({@link #block}) or both ({@link #cut}), until {@link #restore}. The
 * links themselves stay up, as with a lossy or one-way network. Blocking by type looks into batch frames: the
 * messages of a blocked type are taken out of a batch and the rest goes through.
 */
final class GatedTransports implements TransportProvider {
    private static final int CAPTURE_LIMIT = 1000;
    private static final byte HELLO = 1;
    private final List<byte[]> captured = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final TransportProvider real;
    /** Directed pairs (from, to) whose frames are recorded, with what they sent since recording began. */
    private final Map<String, List<byte[]>> recording = new ConcurrentHashMap<>();
    /** Frames handed to a node, per (from, to, type). */
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> handed = new ConcurrentHashMap<>();
    /** The live transports by local node, for injecting frames. */
    private final Map<NodeId, Transport> inners = new ConcurrentHashMap<>();
    /** DOWN events each node saw, by "local>peer". */
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> downs = new ConcurrentHashMap<>();
    /** Per directed pair (from, to): rewrites for the next frames sent, one each (a member that lies). */
    private final Map<String, java.util.Queue<java.util.function.UnaryOperator<byte[]>>> rewrites =
            new ConcurrentHashMap<>();
    /** Per directed pair (from, to): how many more sends are refused as QUEUE_FULL (a congested transport). */
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> congestion = new ConcurrentHashMap<>();
    /** Directed pairs (from, to) whose frames are dropped. */
    private final Set<String> blocked = ConcurrentHashMap.newKeySet();

    GatedTransports(TransportProvider real) {
        this.real = real;
    }

    @Override
    public String name() {
        return real.name();
    }

    @Override
    public Transport create(TransportConfig config) {
        return new Gated(real.create(config));
    }

    void block(NodeId from, NodeId to) {
        blocked.add(from + ">" + to);
    }

    void cut(NodeId a, NodeId b) {
        block(a, b);
        block(b, a);
    }

    /**
     * Drops only the frames of federation type {@code type} (the fourth byte of a federation frame: 'M' 'F',
     * version, type) from {@code from} to {@code to}; the link and every other frame keep flowing.
     */
    void blockType(NodeId from, NodeId to, int type) {
        blocked.add(from + ">" + to + "#" + type);
    }

    /** Lets frames of federation type {@code type} from {@code from} to {@code to} through again. */
    void unblockType(NodeId from, NodeId to, int type) {
        blocked.remove(from + ">" + to + "#" + type);
    }

    /** The first frames the nodes sent (up to {@value #CAPTURE_LIMIT}), as a listener on the wire would capture. */
    List<byte[]> captured() {
        return List.copyOf(captured);
    }

    /** From now on keeps every frame {@code from} sends to {@code to} (a wiretap: the frames still go through). */
    void record(NodeId from, NodeId to) {
        recording.put(from + ">" + to, new java.util.concurrent.CopyOnWriteArrayList<>());
    }

    /**
     * How many messages of {@code type} (frames, or messages in batches) from {@code from} the transport of {@code to}
     * has handed to its node (whose
     * receiver has returned: a node posts what it takes to its event loop before that).
     */
    int handed(NodeId from, NodeId to, byte type) {
        java.util.concurrent.atomic.AtomicInteger n = handed.get(from + ">" + to + "#" + type);
        return n == null ? 0 : n.get();
    }

    /** The frames recorded from {@code from} to {@code to}, in the order sent. */
    List<byte[]> recorded(NodeId from, NodeId to) {
        return List.copyOf(recording.getOrDefault(from + ">" + to, List.of()));
    }

    /**
     * Sends {@code frame} from {@code from}'s transport to {@code to} as is, bypassing the node: what an attacker
     * with the link's credentials, or a faulty node, would put on the wire.
     */
    SendStatus inject(NodeId from, NodeId to, byte[] frame) {
        return inners.get(from).send(to, frame.clone());
    }

    /**
     * Replaces the next frame {@code from} sends to {@code to} (other than a HELLO) with what {@code forge} makes of it:
     * a member with valid credentials putting a frame of its choosing on a link it holds, numbered as the link
     * expects. Rewrites queue up, one per frame.
     */
    void rewriteNext(NodeId from, NodeId to, java.util.function.UnaryOperator<byte[]> forge) {
        rewrites.computeIfAbsent(from + ">" + to, k -> new java.util.concurrent.ConcurrentLinkedQueue<>()).add(forge);
    }

    /** How many rewrites from {@code from} to {@code to} wait for a frame. */
    int pendingRewrites(NodeId from, NodeId to) {
        java.util.Queue<?> q = rewrites.get(from + ">" + to);
        return q == null ? 0 : q.size();
    }

    /** How many times {@code local}'s transport reported {@code peer} DOWN. */
    int downs(NodeId local, NodeId peer) {
        java.util.concurrent.atomic.AtomicInteger n = downs.get(local + ">" + peer);
        return n == null ? 0 : n.get();
    }

    /**
     * Makes the next {@code sends} frames {@code from} sends to {@code to} (other than a HELLO) refused with
     * {@link SendStatus#QUEUE_FULL}, as a transport whose queue for the peer is full refuses them (not taken).
     */
    void congest(NodeId from, NodeId to, int sends) {
        congestion.computeIfAbsent(from + ">" + to, k -> new java.util.concurrent.atomic.AtomicInteger()).set(sends);
    }

    /** How many refusals set by {@link #congest} are still to come from {@code from} to {@code to}. */
    int congestionLeft(NodeId from, NodeId to) {
        java.util.concurrent.atomic.AtomicInteger n = congestion.get(from + ">" + to);
        return n == null ? 0 : Math.max(0, n.get());
    }

    void restore() {
        blocked.clear();
    }

    private boolean open(NodeId from, NodeId to, byte type) {
        return !blocked.contains(from + ">" + to) && !blocked.contains(from + ">" + to + "#" + type);
    }

    private static byte typeOf(ByteBuffer frame) {
        return frame.remaining() >= 4 ? frame.get(frame.position() + 3) : -1;
    }

    /**
     * {@code frame} as it passes the gate from {@code from} to {@code to}: as is, without the messages of blocked
     * types (a batch), or null if nothing of it passes.
     */
    private byte[] passing(NodeId from, NodeId to, byte[] frame) {
        byte type = frame.length >= 4 ? frame[3] : -1;
        if (!open(from, to, type)) {
            return null;
        }
        if (type != WireCodec.BATCH || blocked.stream().noneMatch(b -> b.startsWith(from + ">" + to + "#"))) {
            return frame;
        }
        WireCodec.Frame batch = WireTap.CODEC.decode(ByteBuffer.wrap(frame));
        List<WireMessage> kept = ((WireMessage.Batch) batch.message()).messages().stream()
                .filter(m -> open(from, to, WireCodec.typeOf(m))).toList();
        return kept.isEmpty() ? null : WireTap.CODEC.encode(batch.link(), new WireMessage.Batch(kept));
    }

    /** The types of the messages {@code frame} carries: its own, or each of a batch's. */
    private static List<Byte> typesIn(byte[] frame) {
        if (frame.length < 4 || frame[3] != WireCodec.BATCH) {
            return List.of(frame.length >= 4 ? frame[3] : -1);
        }
        try {
            return ((WireMessage.Batch) WireTap.CODEC.decode(ByteBuffer.wrap(frame)).message()).messages().stream()
                    .map(WireCodec::typeOf).toList();
        } catch (RuntimeException e) {
            return List.of(WireCodec.BATCH);
        }
    }

    private final class Gated implements Transport {
        private final Transport inner;

        Gated(Transport inner) {
            this.inner = inner;
            inners.put(inner.localNode(), inner);
        }

        @Override
        public NodeId localNode() {
            return inner.localNode();
        }

        @Override
        public void start(FrameReceiver receiver) {
            inner.start(new FrameReceiver() {
                @Override
                public void onFrame(NodeId from, ByteBuffer frame) {
                    byte[] bytes = new byte[frame.remaining()];
                    frame.duplicate().get(bytes);
                    byte[] passed = typeOf(frame) == WireCodec.BATCH ? passing(from, localNode(), bytes)
                            : open(from, localNode(), typeOf(frame)) ? bytes : null;
                    if (passed != null) {
                        receiver.onFrame(from, passed == bytes ? frame : ByteBuffer.wrap(passed));
                        for (byte type : typesIn(passed)) {
                            handed.computeIfAbsent(from + ">" + localNode() + "#" + type,
                                    k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                        }
                    }
                }

                @Override
                public void onPeerEvent(PeerEvent event) {
                    if (event.kind() == PeerEvent.Kind.DOWN) {
                        downs.computeIfAbsent(localNode() + ">" + event.peer(),
                                k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                    }
                    receiver.onPeerEvent(event);
                }
            });
        }

        @Override
        public InetSocketAddress boundAddress() {
            return inner.boundAddress();
        }

        @Override
        public SendStatus send(NodeId peer, byte[] frame) {
            java.util.concurrent.atomic.AtomicInteger full = congestion.get(localNode() + ">" + peer);
            if (full != null && frame.length >= 4 && frame[3] != HELLO && full.getAndDecrement() > 0) {
                return SendStatus.QUEUE_FULL;
            }
            java.util.Queue<java.util.function.UnaryOperator<byte[]>> forged = rewrites.get(localNode() + ">" + peer);
            if (forged != null && frame.length >= 4 && frame[3] != HELLO) {
                java.util.function.UnaryOperator<byte[]> forge = forged.poll();
                frame = forge == null ? frame : forge.apply(frame);
            }
            if (captured.size() < CAPTURE_LIMIT) {
                captured.add(frame.clone());
            }
            List<byte[]> tap = recording.get(localNode() + ">" + peer);
            if (tap != null) {
                tap.add(frame.clone());
            }
            byte[] passed = passing(localNode(), peer, frame);
            return passed != null ? inner.send(peer, passed) : SendStatus.ACCEPTED; // lost on the way
        }

        @Override
        public boolean disconnect(NodeId peer, String reason) {
            return inner.disconnect(peer, reason);
        }

        @Override
        public Map<NodeId, PeerState> peers() {
            return inner.peers();
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
