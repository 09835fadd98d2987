package io.mpreg.launcher;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.FrameReceiver;
import io.mpreg.api.spi.transport.PeerState;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportProvider;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's malicious members ({@code --malicious K}): a member with valid credentials whose transport, once
 * {@link #lie() told to}, now and then (the second frame to each peer, then one in sixteen) sends an earlier frame
 * again (a replay) or (the third, then one in sixteen) sends a frame with one byte near its end changed in place of
 * the real one (a statement altered in flight: a vote's or a relayed link state's
 * signature, a decision's certificate, an answer). It knows nothing of the protocol: whatever the change makes of
 * the frame, only the receivers' checks stand between it and their state. (The demo also has its node propose a
 * weight table giving it the weight.)
 *
 * <p>Demonstration only: it lives in the launcher, never in a node's own code, and lies only in frames its own
 * transport sends.
 */
final class LyingTransports implements TransportProvider {
    /** Bytes of a federation frame before its body: magic, version, type, and the link header's three longs. */
    private static final int HEADER = 4 + 24;

    private final TransportProvider real;
    private final AtomicLong altered = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private volatile boolean lying;

    LyingTransports(TransportProvider real) {
        this.real = real;
    }

    @Override
    public String name() {
        return real.name();
    }

    @Override
    public Transport create(TransportConfig config) {
        return new Lying(real.create(config), new SplittableRandom(config.localNode().hashCode()));
    }

    /** From now on, every transport this provider made lies. */
    void lie() {
        lying = true;
    }

    /** Frames sent again, and frames sent with a changed byte, by every transport this provider made. */
    long replayed() {
        return replayed.get();
    }

    long altered() {
        return altered.get();
    }

    private final class Lying implements Transport {
        private final Transport inner;
        private final SplittableRandom random;
        /** Frames sent to each peer while lying. */
        private final java.util.Map<NodeId, AtomicLong> toPeer = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<NodeId, byte[]> lastSent = new ConcurrentHashMap<>();

        Lying(Transport inner, SplittableRandom random) {
            this.inner = inner;
            this.random = random;
        }

        @Override
        public NodeId localNode() {
            return inner.localNode();
        }

        @Override
        public void start(FrameReceiver receiver) {
            inner.start(receiver);
        }

        @Override
        public InetSocketAddress boundAddress() {
            return inner.boundAddress();
        }

        @Override
        public SendStatus send(NodeId peer, byte[] frame) {
            if (!lying) {
                return inner.send(peer, frame);
            }
            int draw;
            int at;
            int flip;
            // the second frame to each peer once lying is replayed and the third altered, so even a short run (few
            // frames: they carry batches) shows both; after that, one frame in sixteen each
            long nth = toPeer.computeIfAbsent(peer, p -> new AtomicLong()).incrementAndGet();
            synchronized (random) {
                draw = nth == 2 ? 0 : nth == 3 ? 1 : random.nextInt(16);
                at = frame.length - 1 - random.nextInt(Math.max(1, Math.min(32, frame.length - HEADER)));
                flip = 1 + random.nextInt(255);
            }
            if (draw == 1 && at >= HEADER) {
                byte[] changed = frame.clone();
                changed[at] ^= (byte) flip;
                SendStatus status = inner.send(peer, changed);
                if (status == SendStatus.ACCEPTED) {
                    altered.incrementAndGet();
                }
                return status;
            }
            SendStatus status = inner.send(peer, frame);
            byte[] earlier = lastSent.put(peer, frame.clone());
            if (status == SendStatus.ACCEPTED && draw == 0 && earlier != null
                    && inner.send(peer, earlier) == SendStatus.ACCEPTED) {
                replayed.incrementAndGet();
            }
            return status;
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
