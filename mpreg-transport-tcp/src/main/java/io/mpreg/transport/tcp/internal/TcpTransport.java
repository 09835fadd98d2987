package io.mpreg.transport.tcp.internal;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.FrameReceiver;
import io.mpreg.api.spi.transport.FrameTooLargeException;
import io.mpreg.api.spi.transport.PeerEvent;
import io.mpreg.api.spi.transport.PeerState;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportException;
import io.mpreg.api.spi.transport.TransportLifecycle;
import io.mpreg.api.spi.transport.UnknownPeerException;

import javax.net.ssl.SSLContext;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The "tcp" transport: one listening socket, one connection per configured peer (the node with the smaller id
 * dials, the other accepts), length-prefixed frames, heartbeats, a silence-based failure detector, reconnect with
 * capped exponential backoff and jitter, optional mutual TLS 1.3. See {@link Wire} for the bytes and
 * {@link Connection} for the threads.
 */
public final class TcpTransport implements Transport {
    private static final System.Logger LOG = System.getLogger(TcpTransport.class.getName());
    private static final int REFUSAL_HISTORY = 32;

    private final TransportConfig config;
    private final TcpOptions options;
    private final Map<NodeId, PeerLink> links;
    private final Handshake handshake;
    private final TransportLifecycle lifecycle;
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final Semaphore pendingHandshakes;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong acceptFailures = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong framesWritten = new AtomicLong();
    private final ArrayDeque<String> refusals = new ArrayDeque<>();
    private final Backoff backoff;
    private final Listener listener;
    private volatile boolean closing;
    private volatile FrameReceiver receiver;
    private volatile ServerSocket server;

    TcpTransport(TransportConfig config, TcpOptions options) {
        this(config, options, null);
    }

    /** As the public path, with {@code listener} (null: the real one) opening the listening socket. */
    TcpTransport(TransportConfig config, TcpOptions options, Listener listener) {
        this.config = config;
        this.options = options;
        this.lifecycle = new TransportLifecycle("tcp transport of " + config.localNode());
        Map<NodeId, PeerLink> map = new TreeMap<>();
        config.peers().forEach((peer, address) ->
                map.put(peer, new PeerLink(peer, address, config.localNode().compareTo(peer) < 0)));
        this.links = Collections.unmodifiableMap(map);
        SSLContext tls = options.tls() == null ? null : options.tls().context();
        this.handshake = new Handshake(this, tls);
        this.pendingHandshakes = new Semaphore(options.maxPendingHandshakes());
        this.backoff = new Backoff(config.reconnectMin(), config.reconnectMax(), config.localNode().hashCode());
        this.listener = listener != null ? listener : handshake::listen;
    }

    /** Opens the listening socket (tests give one whose {@code accept} fails on demand). */
    interface Listener {
        ServerSocket listen(InetSocketAddress address) throws IOException;
    }

    @Override
    public NodeId localNode() {
        return config.localNode();
    }

    @Override
    public void start(FrameReceiver frameReceiver) {
        lifecycle.start(frameReceiver);
        this.receiver = frameReceiver;
        try {
            server = listener.listen(config.bindAddress());
        } catch (IOException e) {
            lifecycle.close();
            throw new TransportException("tcp transport of " + localNode() + " cannot listen on "
                    + config.bindAddress() + ": " + e.getMessage(), e);
        }
        spawn("accept", this::acceptLoop);
        for (PeerLink link : links.values()) {
            if (link.dials) {
                spawn("dial-" + link.peer, () -> dialLoop(link));
            }
        }
        LOG.log(System.Logger.Level.INFO, "{0}: tcp transport listening on {1}{2}, {3} peers", localNode(),
                server.getLocalSocketAddress(), options.tls() != null ? " (mutual TLS 1.3)" : "", links.size());
    }

    @Override
    public InetSocketAddress boundAddress() {
        ServerSocket s = server;
        return s == null ? null : (InetSocketAddress) s.getLocalSocketAddress();
    }

    @Override
    public SendStatus send(NodeId peer, byte[] frame) {
        lifecycle.checkSend(frame, config.maxFrameBytes());
        PeerLink link = links.get(peer);
        if (link == null) {
            throw new UnknownPeerException(peer, localNode());
        }
        Connection c = link.current();
        if (c == null) {
            return SendStatus.PEER_DOWN;
        }
        if (frame.length > c.sendCap()) {
            throw new FrameTooLargeException(frame.length, c.sendCap());
        }
        return c.offer(frame) ? SendStatus.ACCEPTED : SendStatus.QUEUE_FULL;
    }

    @Override
    public boolean disconnect(NodeId peer, String reason) {
        PeerLink link = links.get(peer);
        Connection c = link == null ? null : link.current();
        if (c == null || closing) {
            return false;
        }
        remember("cut off " + peer + ": " + reason);
        LOG.log(System.Logger.Level.WARNING, "{0}: closing the connection to {1}: {2}", localNode(), peer, reason);
        c.fail(reason);
        return true;
    }

    @Override
    public Map<NodeId, PeerState> peers() {
        Map<NodeId, PeerState> out = new TreeMap<>();
        links.forEach((peer, link) -> out.put(peer, link.state()));
        return out;
    }

    @Override
    public void close() {
        if (!lifecycle.close()) {
            return;
        }
        closing = true;
        closeQuietly(server);
        long lingerDeadline = System.nanoTime() + options.closeLinger().toNanos();
        List<Connection> open = new ArrayList<>();
        for (PeerLink link : links.values()) {
            Connection c = link.current();
            if (c != null) {
                c.beginClose();
                open.add(c);
            }
        }
        try {
            for (Connection c : open) {
                c.awaitWriter(lingerDeadline);
            }
            for (Connection c : open) {
                c.fail("transport closed");
            }
            long joinDeadline = System.nanoTime() + config.failureTimeout().toNanos() + TimeUnit.SECONDS.toNanos(5);
            for (Thread t : List.copyOf(threads)) {
                t.interrupt();
                long left = joinDeadline - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(t, left);
                }
                if (t.isAlive()) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: thread {1} did not stop (stuck in the receiver?)",
                            localNode(), t.getName());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.log(System.Logger.Level.INFO, "{0}: tcp transport closed", localNode());
    }

    // ---- used by Handshake and Connection ----

    TransportConfig config() {
        return config;
    }

    TcpOptions options() {
        return options;
    }

    boolean closing() {
        return closing;
    }

    PeerLink link(NodeId peer) {
        return links.get(peer);
    }

    Thread spawn(String role, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        }, "mpreg-tcp-" + localNode() + "-" + role);
        t.setDaemon(true);
        threads.add(t);
        t.start();
        return t;
    }

    /** Reports UP unless the transport is closing; returns whether it did. */
    boolean peerUp(NodeId peer, String detail) {
        if (closing) {
            return false;
        }
        LOG.log(System.Logger.Level.INFO, "{0}: peer {1} up ({2})", localNode(), peer, detail);
        emit(new PeerEvent(peer, PeerEvent.Kind.UP, detail));
        return true;
    }

    void peerDown(NodeId peer, String detail) {
        if (closing) {
            return;
        }
        LOG.log(System.Logger.Level.INFO, "{0}: peer {1} down ({2})", localNode(), peer, detail);
        emit(new PeerEvent(peer, PeerEvent.Kind.DOWN, detail));
    }

    private void emit(PeerEvent event) {
        try {
            receiver.onPeerEvent(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "receiver of " + localNode() + " threw on " + event, e);
        }
    }

    void deliver(NodeId peer, ByteBuffer frame) {
        try {
            receiver.onFrame(peer, frame);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "receiver of " + localNode() + " threw on a frame from " + peer
                    + "; frame dropped, link kept", e);
        }
    }

    void refuse(Socket socket, String reason) {
        remember(reason);
        LOG.log(System.Logger.Level.WARNING, "{0}: refused connection from {1}: {2}", localNode(),
                socket.getRemoteSocketAddress(), reason);
        closeQuietly(socket);
    }

    private void remember(String reason) {
        refused.incrementAndGet();
        synchronized (refusals) {
            if (refusals.size() == REFUSAL_HISTORY) {
                refusals.removeFirst();
            }
            refusals.addLast(reason);
        }
    }

    void countBatch(int frames) {
        batches.incrementAndGet();
        framesWritten.addAndGet(frames);
    }

    /** Connections refused or cut off for breaking the protocol, since start. */
    public long refusedConnections() {
        return refused.get();
    }

    /**
     * Times {@code accept()} failed on the listening socket since start (file descriptors exhausted, for one); after
     * each the accept loop waits (the reconnect backoff, growing with failures in a row) and goes on.
     */
    public long acceptFailures() {
        return acceptFailures.get();
    }

    /** The reasons of the last refusals, oldest first. */
    public List<String> recentRefusals() {
        synchronized (refusals) {
            return List.copyOf(refusals);
        }
    }

    /** Data frames written and the flushes that wrote them: frames / batches is the write batching factor. */
    public long framesWritten() {
        return framesWritten.get();
    }

    public long writeBatches() {
        return batches.get();
    }

    static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing; nothing to do
            }
        }
    }

    // ---- threads ----

    private void acceptLoop() {
        ServerSocket s = server;
        int failures = 0;
        while (!closing) {
            Socket socket;
            try {
                socket = s.accept();
                failures = 0;
            } catch (IOException e) {
                if (closing) {
                    return;
                }
                if (s.isClosed()) {
                    LOG.log(System.Logger.Level.ERROR, localNode() + ": the listening socket closed; no more inbound "
                            + "links", e);
                    return;
                }
                // a failed accept (too many open files, for one) is passing: wait, growing with failures in a row
                // (so a loop that cannot accept does not spin), and go on
                failures++;
                acceptFailures.incrementAndGet();
                long delay = backoff.delayNanos(failures);
                LOG.log(failures == 1 ? System.Logger.Level.ERROR : System.Logger.Level.WARNING,
                        "{0}: accept failed ({1} in a row): {2}; trying again in {3} ms", localNode(), failures,
                        e.toString(), TimeUnit.NANOSECONDS.toMillis(delay));
                long until = System.nanoTime() + delay;
                while (!closing && System.nanoTime() - until < 0) {
                    LockSupport.parkNanos(until - System.nanoTime());
                }
                continue;
            }
            if (!pendingHandshakes.tryAcquire()) {
                refuse(socket, "too many pending handshakes (tcp.maxPendingHandshakes="
                        + options.maxPendingHandshakes() + ")");
                continue;
            }
            spawn("in-" + socket.getPort(), () -> {
                Connection connection;
                try {
                    connection = handshake.accept(socket);
                } finally {
                    pendingHandshakes.release();
                }
                if (connection != null) {
                    connection.run();
                }
            });
        }
    }

    private void dialLoop(PeerLink link) {
        int failures = 0;
        while (!closing) {
            Connection connection = handshake.dial(link);
            if (connection != null) {
                connection.run();
                failures = connection.wasUp() ? 0 : failures + 1;
            } else {
                failures++;
            }
            long until = System.nanoTime() + backoff.delayNanos(failures);
            while (!closing && System.nanoTime() - until < 0) {
                LockSupport.parkNanos(until - System.nanoTime());
            }
        }
    }
}
