package io.mpreg.it.sim;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.FrameReceiver;
import io.mpreg.api.spi.transport.FrameTooLargeException;
import io.mpreg.api.spi.transport.PeerEvent;
import io.mpreg.api.spi.transport.PeerState;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportException;
import io.mpreg.api.spi.transport.UnknownPeerException;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The simulated network: links between the {@link Transport}s it creates, on the simulation's clock. A link is up
 * when both ends are running, each lists the other as a peer, and no partition separates them; ends learn of a
 * change after a detection delay, as a real failure detector would, and in order (UP, DOWN, UP, ...). Frames in
 * flight on a link that goes down are lost, as with a broken connection. {@link LinkFaults} adds loss, duplication,
 * reordering and delay to frames on up links.
 *
 * <p>Like the simulation, single-threaded.
 *
 * @since 0.3.0
 */
public final class SimNetwork {
    private final Simulation sim;
    private final SortedMap<NodeId, SimTransport> transports = new TreeMap<>();
    private final Set<String> cut = new TreeSet<>();
    private LinkFaults faults = LinkFaults.NONE;
    private NodeId liarNode;
    private Liar liar;
    private java.util.function.Consumer<NodeId> fromLiar;
    private long framesSent;
    private long framesDelivered;
    private long framesLost;

    public SimNetwork(Simulation sim) {
        this.sim = sim;
    }

    /** The faults frames meet from now on. */
    public void faults(LinkFaults value) {
        this.faults = value;
    }

    /**
     * Passes every frame node {@code node} sends through {@code rewriter}, and shows it every frame it receives;
     * {@code arrived} hears the receiver of each frame from it, once the receiver has it.
     */
    void liar(NodeId node, Liar rewriter, java.util.function.Consumer<NodeId> arrived) {
        this.liarNode = node;
        this.liar = rewriter;
        this.fromLiar = arrived;
    }

    /** Cuts the link between {@code a} and {@code b} (both directions). */
    public void cut(NodeId a, NodeId b) {
        if (cut.add(key(a, b))) {
            reconcile();
        }
    }

    /** Restores every cut link. */
    public void healAll() {
        if (!cut.isEmpty()) {
            cut.clear();
            reconcile();
        }
    }

    public boolean isCut(NodeId a, NodeId b) {
        return cut.contains(key(a, b));
    }

    public long framesSent() {
        return framesSent;
    }

    public long framesDelivered() {
        return framesDelivered;
    }

    public long framesLost() {
        return framesLost;
    }

    private static String key(NodeId a, NodeId b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }

    Transport create(TransportConfig config) {
        return new SimTransport(config);
    }

    private boolean wanted(SimTransport from, NodeId to) {
        SimTransport other = transports.get(to);
        return from.running && other != null && other.running && other.config.peers().containsKey(from.id)
                && !cut.contains(key(from.id, to));
    }

    /** Schedules each end whose link state should change to learn of it after a detection delay. */
    private void reconcile() {
        for (SimTransport t : transports.values()) {
            for (NodeId peer : t.config.peers().keySet()) {
                boolean up = wanted(t, peer);
                if ((up != t.up.getOrDefault(peer, false) || up && t.stale(peer)) && t.checking.add(peer)) {
                    long delay = up ? Simulation.millis(1 + sim.random().nextInt(20))
                            : Simulation.millis(100 + sim.random().nextInt(400));
                    sim.after(delay, t.id.toString(), () -> t.check(peer));
                }
            }
        }
    }

    private final class SimTransport implements Transport {
        final TransportConfig config;
        final NodeId id;
        final Map<NodeId, Boolean> up = new TreeMap<>();
        final Map<NodeId, SimTransport> linkedTo = new TreeMap<>();
        final Map<NodeId, Long> epoch = new TreeMap<>();
        final Map<NodeId, Long> lastArrival = new TreeMap<>();
        final Set<NodeId> checking = new TreeSet<>();
        FrameReceiver receiver;
        boolean running;
        boolean used;

        SimTransport(TransportConfig config) {
            this.config = config;
            this.id = config.localNode();
        }

        void check(NodeId peer) {
            checking.remove(peer);
            if (!running) {
                return;
            }
            boolean now = wanted(this, peer);
            boolean was = up.getOrDefault(peer, false);
            if (was && now && stale(peer)) {
                // the peer restarted faster than this end noticed: its old connection is gone all the same
                flip(peer, false, "simulated link down (peer restarted)");
                flip(peer, true, "simulated link up");
            } else if (now != was) {
                flip(peer, now, now ? "simulated link up" : "simulated link down");
            }
        }

        /** Whether this end's link to {@code peer} belongs to an earlier incarnation of it. */
        boolean stale(NodeId peer) {
            return up.getOrDefault(peer, false) && linkedTo.get(peer) != transports.get(peer);
        }

        private void flip(NodeId peer, boolean now, String detail) {
            up.put(peer, now);
            linkedTo.put(peer, now ? transports.get(peer) : null);
            epoch.merge(peer, 1L, Long::sum);
            sim.record(now ? 1 : 2);
            receiver.onPeerEvent(new PeerEvent(peer, now ? PeerEvent.Kind.UP : PeerEvent.Kind.DOWN, detail));
        }

        @Override
        public NodeId localNode() {
            return id;
        }

        @Override
        public void start(FrameReceiver r) {
            if (r == null) {
                throw new IllegalArgumentException("sim transport needs a receiver, got null");
            }
            if (used) {
                throw new IllegalStateException("sim transport of " + id + " was already started");
            }
            SimTransport other = transports.get(id);
            if (other != null && other.running) {
                throw new TransportException("node " + id + " is already running in this simulated network");
            }
            used = true;
            receiver = r;
            running = true;
            transports.put(id, this);
            reconcile();
        }

        @Override
        public InetSocketAddress boundAddress() {
            return config.bindAddress();
        }

        @Override
        public SendStatus send(NodeId peer, byte[] frame) {
            if (!running) {
                throw new IllegalStateException("sim transport of " + id + " is " + (used ? "closed" : "not started"));
            }
            if (frame == null || frame.length == 0 || frame.length > config.maxFrameBytes()) {
                throw new FrameTooLargeException(frame == null ? 0 : frame.length, config.maxFrameBytes());
            }
            if (!config.peers().containsKey(peer)) {
                throw new UnknownPeerException(peer, id);
            }
            if (!up.getOrDefault(peer, false)) {
                return SendStatus.PEER_DOWN;
            }
            if (liar != null && id.equals(liarNode)) {
                liar.outgoing(peer, frame.clone()).forEach(f -> transmit(peer, f));
                return SendStatus.ACCEPTED;
            }
            return transmit(peer, frame.clone());
        }

        private SendStatus transmit(NodeId peer, byte[] copy) {
            framesSent++;
            SimTransport to = transports.get(peer);
            if (to == null || !to.running) {
                framesLost++; // the peer is gone and this end has not noticed yet: the connection swallows it
                return SendStatus.ACCEPTED;
            }
            int copies = sim.random().nextDouble() < faults.duplicate() ? 2 : 1;
            if (sim.random().nextDouble() < faults.loss()) {
                framesLost++;
                sim.record(3);
                return SendStatus.ACCEPTED; // lost on the wire: the protocol's retries must cover it
            }
            for (int i = 0; i < copies; i++) {
                long delay = faults.minLatency() + (long) (sim.random().nextDouble() * faults.jitter());
                long arrival = sim.now() + delay;
                if (sim.random().nextDouble() >= faults.reorder()) {
                    arrival = Math.max(arrival, lastArrival.getOrDefault(peer, 0L)); // in order, like a stream
                    lastArrival.put(peer, arrival);
                } else {
                    arrival += (long) (sim.random().nextDouble() * faults.reorderDelay());
                }
                long sentIn = epoch.getOrDefault(peer, 0L);
                long seenIn = to.up.getOrDefault(id, false) ? to.epoch.getOrDefault(id, 0L) : -1;
                sim.after(arrival - sim.now(), peer.toString(), () -> arrive(to, sentIn, seenIn, copy));
            }
            return SendStatus.ACCEPTED;
        }

        private void arrive(SimTransport to, long sentIn, long seenIn, byte[] frame) {
            if (to.running && wanted(to, id) && (seenIn == -1 && !to.up.getOrDefault(id, false)
                    || to.linkedTo.get(id) != this && to.up.getOrDefault(id, false))) {
                // the first frame on a new connection (this sender may be a restarted incarnation): the receiver
                // learns of the link now, before the frame
                to.check(id);
                seenIn = to.epoch.getOrDefault(id, 0L);
            }
            if (!running || !to.running || epoch.getOrDefault(to.id, 0L) != sentIn
                    || to.epoch.getOrDefault(id, 0L) != seenIn || !to.up.getOrDefault(id, false)) {
                framesLost++; // the connection it travelled on is gone
                return;
            }
            framesDelivered++;
            sim.record(Arrays.hashCode(frame));
            if (liar != null && to.id.equals(liarNode)) {
                liar.observe(frame);
            }
            to.receiver.onFrame(id, ByteBuffer.wrap(frame).asReadOnlyBuffer());
            if (liar != null && id.equals(liarNode)) {
                fromLiar.accept(to.id);
            }
        }

        @Override
        public Map<NodeId, PeerState> peers() {
            Map<NodeId, PeerState> out = new TreeMap<>();
            config.peers().keySet().forEach(p -> out.put(p, up.getOrDefault(p, false) ? PeerState.UP : PeerState.DOWN));
            return out;
        }

        @Override
        public void close() {
            if (!running) {
                used = true;
                return;
            }
            running = false;
            up.clear();
            if (transports.get(id) == this) {
                transports.remove(id);
            }
            reconcile();
        }
    }
}
