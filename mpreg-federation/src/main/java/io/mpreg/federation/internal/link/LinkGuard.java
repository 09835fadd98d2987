package io.mpreg.federation.internal.link;

import io.mpreg.api.NodeId;
import io.mpreg.federation.internal.wire.LinkHeader;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replay protection on links. Every frame carries a {@link LinkHeader}: the sender's epoch (one random number per
 * node incarnation), the receiver's epoch as the sender last heard it, and a per-receiver sequence number. A receiver
 * accepts a frame only if
 * <ul>
 *   <li>it is addressed to this incarnation (a hello may say 0: it can precede hearing anything from here) —
 *       otherwise it is <em>stale</em>: captured before this node last started, or sent by a peer that has not heard
 *       from this incarnation yet;</li>
 *   <li>its sender epoch is one this node has a window for; only a hello opens a window for a new epoch (a peer
 *       sends nothing else before it has been greeted back), and the window counts every number below that hello's
 *       as seen (so an earlier hello of the same incarnation, replayed, is refused too); the {@value #EPOCHS_KEPT}
 *       most recently used windows are kept per peer;</li>
 *   <li>its sequence number is above the window or inside it and not seen yet (a sliding window of {@value #WINDOW}
 *       numbers, as IPsec's) — otherwise it is <em>replayed</em>.</li>
 * </ul>
 * Thread-safe: frames are checked on the transports' threads, headers drawn wherever frames are sent.
 */
public final class LinkGuard {
    /** Sequence numbers a window remembers below the highest seen. */
    public static final int WINDOW = 1024;
    /** Sender epochs remembered per peer (a peer restarting makes a new one). */
    public static final int EPOCHS_KEPT = 4;

    /** What became of a frame. */
    public enum Check { ACCEPTED, REPLAYED, STALE }

    private final long epoch;
    private final Map<NodeId, Peer> peers = new ConcurrentHashMap<>();

    /** @param epoch this node's incarnation: random and not 0 */
    public LinkGuard(long epoch) {
        if (epoch == 0) {
            throw new IllegalArgumentException("epoch 0");
        }
        this.epoch = epoch;
    }

    /** Draws an epoch from {@code random}: any long but 0. */
    public static long newEpoch(java.util.random.RandomGenerator random) {
        long e;
        do {
            e = random.nextLong();
        } while (e == 0);
        return e;
    }

    public long epoch() {
        return epoch;
    }

    /** The header of the next frame to {@code peer}. */
    public LinkHeader next(NodeId peer, boolean hello) {
        Peer p = peer(peer);
        return new LinkHeader(epoch, hello ? 0 : p.peerEpoch, p.sequence.incrementAndGet());
    }

    /** Checks a frame from {@code from}; an accepted frame's number is used up. */
    public Check check(NodeId from, LinkHeader link, boolean hello) {
        if (link.receiverEpoch() != epoch && !(hello && link.receiverEpoch() == 0)) {
            return Check.STALE;
        }
        return peer(from).accept(link.senderEpoch(), link.sequence(), hello);
    }

    private Peer peer(NodeId id) {
        return peers.computeIfAbsent(id, k -> new Peer());
    }

    private static final class Peer {
        final AtomicLong sequence = new AtomicLong();
        /** The epoch of the last frame accepted from this peer: the one frames to it are addressed to. */
        volatile long peerEpoch;
        private final Map<Long, Window> windows = new LinkedHashMap<>(8, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Window> eldest) {
                return size() > EPOCHS_KEPT;
            }
        };

        synchronized Check accept(long senderEpoch, long sequence, boolean hello) {
            Window w = windows.get(senderEpoch);
            if (w == null) {
                if (!hello) {
                    return Check.STALE;
                }
                w = new Window(sequence - 1);
                windows.put(senderEpoch, w);
            }
            if (!w.accept(sequence)) {
                return Check.REPLAYED;
            }
            peerEpoch = senderEpoch;
            return Check.ACCEPTED;
        }
    }

    /** A sliding window over sequence numbers: the highest seen and a bit per number below it. */
    public static final class Window {
        private final long[] seen = new long[WINDOW / Long.SIZE];
        private long highest;

        /** A window that counts every number up to {@code highest} as seen. */
        Window(long highest) {
            this.highest = highest;
            java.util.Arrays.fill(seen, -1L);
        }

        /** Whether {@code sequence} is new (and marks it seen). */
        boolean accept(long sequence) {
            if (sequence > highest) {
                if (sequence - highest >= WINDOW) {
                    java.util.Arrays.fill(seen, 0);
                } else {
                    for (long s = highest + 1; s < sequence; s++) {
                        clear(s);
                    }
                }
                highest = sequence;
                set(sequence);
                return true;
            }
            if (highest - sequence >= WINDOW || isSet(sequence)) {
                return false;
            }
            set(sequence);
            return true;
        }

        private int slot(long s) {
            return (int) (s & (WINDOW - 1));
        }

        private boolean isSet(long s) {
            int i = slot(s);
            return (seen[i >>> 6] & (1L << (i & 63))) != 0;
        }

        private void set(long s) {
            int i = slot(s);
            seen[i >>> 6] |= 1L << (i & 63);
        }

        private void clear(long s) {
            int i = slot(s);
            seen[i >>> 6] &= ~(1L << (i & 63));
        }
    }
}
