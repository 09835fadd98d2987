package io.mpreg.transport.jgroups.internal;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.FrameReceiver;
import io.mpreg.api.spi.transport.PeerEvent;
import io.mpreg.api.spi.transport.PeerState;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportException;
import io.mpreg.api.spi.transport.TransportLifecycle;
import io.mpreg.api.spi.transport.UnknownPeerException;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.util.ExtendedUUID;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The "jgroups" transport: every gateway of a federation joins one JGroups cluster; the members of the current view
 * are the peers that are up. Each member's address carries its MPREG node id (an {@link ExtendedUUID} entry), so
 * identities need no extra round trip. Frames travel as {@code BytesMessage}s over reliable, ordered unicast
 * (UNICAST3) with flow control (UFC); a bounded queue and a sender thread per peer make back-pressure visible.
 *
 * <p>With TLS, a member's claim is checked against its certificate ({@link CertificateBinding}): a member comes up
 * only once the certificate on its connection names the claimed cluster, and frames from a member that does not
 * pass are dropped and counted. To bind both ends without waiting for traffic, each side sends an empty message (a
 * probe; frames are never empty) to every member of its view it has not bound yet, and answers the first probe of a
 * member it has just bound.
 */
public final class JGroupsTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(JGroupsTransport.class.getName());
    private static final String IDENTITY_KEY = "mpreg.node";

    private final TransportConfig config;
    private final JGroupsOptions options;
    private final TransportLifecycle lifecycle;
    private final Set<NodeId> known = ConcurrentHashMap.newKeySet();
    private final Map<NodeId, PeerSender> members = new ConcurrentHashMap<>();
    private final Map<Address, NodeId> identities = new ConcurrentHashMap<>();
    private final AtomicLong refusedFrames = new AtomicLong();
    /** Members whose certificate names their cluster (with the binding on). */
    private final Set<Address> bound = ConcurrentHashMap.newKeySet();
    /** Members already warned about, so an impostor's every frame is counted but logged once. */
    private final Set<Address> warned = ConcurrentHashMap.newKeySet();
    private volatile CertificateBinding binding;
    private volatile View lastView;
    private final Object viewLock = new Object();
    private volatile boolean closing;
    private volatile FrameReceiver receiver;
    private volatile JChannel channel;

    JGroupsTransport(TransportConfig config, JGroupsOptions options) {
        this.config = config;
        this.options = options;
        this.lifecycle = new TransportLifecycle("jgroups transport of " + config.localNode());
        known.addAll(config.peers().keySet());
    }

    @Override
    public NodeId localNode() {
        return config.localNode();
    }

    @Override
    public void start(FrameReceiver frameReceiver) {
        lifecycle.start(frameReceiver);
        this.receiver = frameReceiver;
        byte[] identity = localNode().toString().getBytes(StandardCharsets.UTF_8);
        try {
            JChannel c = Stack.channel(config, options);
            channel = c;
            c.addAddressGenerator(() -> ExtendedUUID.randomUUID(localNode().toString()).put(IDENTITY_KEY, identity));
            c.name(localNode().toString());
            c.setDiscardOwnMessages(true);
            c.receiver(new Inbound());
            if (!options.tls().isEmpty() && options.clusterIdInCertificate()) {
                binding = CertificateBinding.of(c);
            }
            c.connect(options.cluster());
        } catch (Exception e) {
            lifecycle.close();
            closeChannel();
            throw new TransportException("jgroups transport of " + localNode() + " cannot join cluster '"
                    + options.cluster() + "' on " + config.bindAddress() + ": " + e.getMessage(), e);
        }
        LOG.log(System.Logger.Level.INFO, "{0}: joined JGroups cluster {1} on {2}{3}", localNode(),
                options.cluster(), config.bindAddress(), options.tls().isEmpty() ? "" : " (mutual TLS 1.3)");
    }

    @Override
    public InetSocketAddress boundAddress() {
        return lifecycle.isNew() ? null : config.bindAddress();
    }

    @Override
    public SendStatus send(NodeId peer, byte[] frame) {
        lifecycle.checkSend(frame, config.maxFrameBytes());
        PeerSender sender = members.get(peer);
        if (sender == null) {
            if (known.contains(peer)) {
                return SendStatus.PEER_DOWN;
            }
            throw new UnknownPeerException(peer, localNode());
        }
        return sender.offer(frame) ? SendStatus.ACCEPTED : SendStatus.QUEUE_FULL;
    }

    @Override
    public Map<NodeId, PeerState> peers() {
        Map<NodeId, PeerState> out = new TreeMap<>();
        for (NodeId peer : known) {
            PeerSender sender = members.get(peer);
            out.put(peer, sender == null ? PeerState.DOWN
                    : sender.backlogged() ? PeerState.BACKLOGGED : PeerState.UP);
        }
        return out;
    }

    @Override
    public void close() {
        if (!lifecycle.close()) {
            return;
        }
        closing = true;
        long deadline = System.nanoTime() + options.closeLingerMillis() * 1_000_000L;
        List<PeerSender> senders;
        synchronized (viewLock) {
            senders = new ArrayList<>(members.values());
            members.clear();
        }
        try {
            senders.forEach(PeerSender::drainAndStop);
            for (PeerSender s : senders) {
                s.await(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        senders.forEach(PeerSender::stop);
        closeChannel();
        try {
            for (PeerSender s : senders) {
                s.await(System.nanoTime() + 5_000_000_000L);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(System.Logger.Level.INFO, "{0}: jgroups transport closed", localNode());
    }

    /** The channel, for tests that insert JGroups' fault protocols. */
    JChannel channel() {
        return channel;
    }

    /** Frames received outside [1, maxFrameBytes] and dropped, since start. */
    long refusedFrames() {
        return refusedFrames.get();
    }

    private void closeChannel() {
        JChannel c = channel;
        if (c != null) {
            try {
                c.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, localNode() + ": closing the JGroups channel failed", e);
            }
        }
    }

    private NodeId identity(Address address) {
        NodeId id = identities.get(address);
        if (id != null || !(address instanceof ExtendedUUID)) {
            return id;
        }
        byte[] bytes = ((ExtendedUUID) address).get(IDENTITY_KEY);
        if (bytes == null) {
            return null;
        }
        try {
            id = NodeId.parse(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: member {1} carries an invalid node id: {2}", localNode(),
                    address, e.getMessage());
            return null;
        }
        identities.put(address, id);
        return id;
    }

    private void onView(View view) {
        List<Address> unbound = new ArrayList<>();
        synchronized (viewLock) {
            if (closing) {
                return;
            }
            View previous = lastView;
            lastView = view;
            if (previous != null) {
                previous.getMembers().stream().filter(m -> !view.containsMember(m)).forEach(m -> {
                    bound.remove(m);
                    warned.remove(m);
                });
            }
            Address self = channel.getAddress();
            Map<NodeId, Address> now = new HashMap<>();
            for (Address member : view.getMembers()) { // later joiners come later: a restarted node's newer address wins
                NodeId id = identity(member);
                if (id != null && !member.equals(self) && !id.equals(localNode())) {
                    if (binding == null || bound.contains(member)) {
                        now.put(id, member);
                    } else {
                        unbound.add(member);
                    }
                }
            }
            for (Map.Entry<NodeId, PeerSender> e : new TreeMap<>(members).entrySet()) {
                Address current = now.get(e.getKey());
                if (current == null || !current.equals(e.getValue().address())) {
                    members.remove(e.getKey());
                    e.getValue().stop();
                    emit(new PeerEvent(e.getKey(), PeerEvent.Kind.DOWN, current == null
                            ? "left JGroups view " + view.getViewId() : "replaced by a new incarnation"));
                }
            }
            for (Map.Entry<NodeId, Address> e : new TreeMap<>(now).entrySet()) {
                if (!members.containsKey(e.getKey())) {
                    known.add(e.getKey());
                    PeerSender sender = new PeerSender(channel, e.getValue(), config.sendQueueCapacity(),
                            "mpreg-jgroups-" + localNode() + "-send-" + e.getKey());
                    members.put(e.getKey(), sender);
                    sender.start();
                    emit(new PeerEvent(e.getKey(), PeerEvent.Kind.UP, "in JGroups view " + view.getViewId()
                            + (binding == null ? "" : ", certificate names its cluster")));
                }
            }
        }
        unbound.forEach(this::probe);
    }

    /** Sends {@code member} an empty message: it makes JGroups connect, and tells the member to check this node. */
    private void probe(Address member) {
        try {
            channel.send(new org.jgroups.BytesMessage(member));
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: probe to {1} not sent: {2}", localNode(), member, e.toString());
        }
    }

    /**
     * Whether {@code member}, claiming {@code claimed}, may speak: always without the binding; with it, once its
     * certificate names its cluster (checked on each message until it does). A member bound by this message may
     * come up now; one bound by its probe gets a probe back.
     */
    private boolean admit(Address member, NodeId claimed, boolean isProbe) {
        CertificateBinding b = binding;
        if (b == null || bound.contains(member)) {
            return true;
        }
        String mismatch = b.mismatch(member, claimed);
        if (mismatch != null) {
            refusedFrames.incrementAndGet();
            if (warned.size() < 1000 && warned.add(member)) {
                LOG.log(System.Logger.Level.WARNING, "{0}: refused {1} ({2}): {3}", localNode(), claimed, member,
                        mismatch);
            }
            return false;
        }
        bound.add(member);
        View view = lastView;
        if (view != null && view.containsMember(member)) {
            onView(view);
        }
        if (isProbe) {
            probe(member);
        }
        return true;
    }

    private void emit(PeerEvent event) {
        LOG.log(System.Logger.Level.INFO, "{0}: peer {1} {2} ({3})", localNode(), event.peer(),
                event.kind() == PeerEvent.Kind.UP ? "up" : "down", event.detail());
        try {
            receiver.onPeerEvent(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "receiver of " + localNode() + " threw on " + event, e);
        }
    }

    private void onMessage(Message message) {
        if (closing) {
            return;
        }
        NodeId from = identity(message.getSrc());
        if (from == null) {
            LOG.log(System.Logger.Level.WARNING, "{0}: dropped a frame from {1}, which carries no MPREG node id",
                    localNode(), message.getSrc());
            return;
        }
        int length = message.getLength();
        if (!admit(message.getSrc(), from, length == 0) || (length == 0 && binding != null)) {
            return; // refused, or a probe (with the binding on; without, an empty frame is refused below)
        }
        if (length < 1 || length > config.maxFrameBytes()) {
            refusedFrames.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "{0}: dropped a frame of {1} bytes from {2}: outside [1, {3}]",
                    localNode(), length, from, config.maxFrameBytes());
            return;
        }
        ByteBuffer frame = ByteBuffer.wrap(message.getArray(), message.getOffset(), length).asReadOnlyBuffer();
        try {
            receiver.onFrame(from, frame);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "receiver of " + localNode() + " threw on a frame from " + from
                    + "; frame dropped", e);
        }
    }

    private final class Inbound implements Receiver {
        @Override
        public void receive(Message message) {
            onMessage(message);
        }

        @Override
        public void viewAccepted(View view) {
            onView(view);
        }
    }
}
