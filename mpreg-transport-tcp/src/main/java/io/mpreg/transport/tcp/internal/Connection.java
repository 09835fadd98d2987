package io.mpreg.transport.tcp.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One established, identified TCP connection to a peer: the thread that ran the handshake becomes its reader, and
 * it owns a writer thread fed by a bounded queue.
 *
 * <p>Blocking sockets, two threads per linked peer: a federation node has tens of gateway peers, not thousands, so
 * a thread per direction is cheap, keeps per-peer order trivially, lets TLS be an {@code SSLSocket} rather than a
 * hand-driven {@code SSLEngine}, and wakes no selector on the latency path.
 *
 * <p>The writer batches: it takes one frame (or waits a heartbeat interval and sends a heartbeat), then drains
 * whatever else is queued into the same buffer and flushes once.
 */
final class Connection {
    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    private static final int SCRATCH_BYTES = 64 * 1024;
    private static final int MAX_BATCH = 256;

    private final TcpTransport transport;
    private final PeerLink link;
    private final Socket socket;
    private final DeadlineInputStream deadlines;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final ArrayBlockingQueue<byte[]> queue;
    private final int sendCap;
    private final CountDownLatch readerDone = new CountDownLatch(1);
    private volatile boolean closing;
    private volatile boolean closed;
    private volatile String failure;
    private volatile Thread writer;
    private boolean reportedUp;

    Connection(TcpTransport transport, PeerLink link, Socket socket, DeadlineInputStream deadlines,
               DataInputStream in, DataOutputStream out, int sendCap) {
        this.transport = transport;
        this.link = link;
        this.socket = socket;
        this.deadlines = deadlines;
        this.in = in;
        this.out = out;
        this.sendCap = sendCap;
        this.queue = new ArrayBlockingQueue<>(transport.config().sendQueueCapacity());
    }

    /** The largest frame both ends accept. */
    int sendCap() {
        return sendCap;
    }

    boolean offer(byte[] frame) {
        return !closed && queue.offer(frame);
    }

    boolean backlogged() {
        return queue.remainingCapacity() == 0;
    }

    boolean wasUp() {
        return reportedUp;
    }

    /**
     * Runs the connection on the calling thread until it ends: becomes current for its peer, reports UP, starts the
     * writer and reads frames; on the way out reports DOWN with the reason.
     */
    void run() {
        String reason = "connection ended";
        try {
            if (!link.activate(this, transport.config().failureTimeout())) {
                reason = "the previous connection of " + link.peer + " did not finish";
                return;
            }
            writer = transport.spawn("write-" + link.peer, this::writeLoop);
            reportedUp = transport.peerUp(link.peer, "linked over " + describe());
            reason = readLoop();
        } catch (SocketTimeoutException e) {
            reason = deadlines.armed() ? "peer stalled mid-frame for " + transport.config().failureTimeout().toMillis()
                    + " ms" : "heartbeat silence: nothing heard for " + transport.config().failureTimeout().toMillis()
                    + " ms";
        } catch (IOException e) {
            reason = e instanceof EOFException ? "connection closed by the peer without goodbye" : e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = "interrupted";
        } finally {
            if (failure != null) {
                reason = failure;
            }
            closed = true;
            TcpTransport.closeQuietly(socket);
            Thread w = writer;
            if (w != null) {
                w.interrupt();
            }
            link.deactivate(this);
            if (reportedUp) {
                transport.peerDown(link.peer, reason);
            } else {
                LOG.log(System.Logger.Level.DEBUG, "{0}: connection to {1} ended before it came up: {2}",
                        transport.localNode(), link.peer, reason);
            }
            readerDone.countDown();
        }
    }

    private String readLoop() throws IOException {
        int cap = transport.config().maxFrameBytes();
        long silenceNanos = transport.config().failureTimeout().toNanos();
        long nanosPerByte = Math.max(1, 1_000_000_000L / transport.options().minReceiveBytesPerSecond());
        byte[] scratch = new byte[Math.min(cap, SCRATCH_BYTES)];
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, transport.config().failureTimeout().toMillis()));
        while (true) {
            deadlines.disarm();
            int type = in.read(); // idle: the socket timeout is the failure detector
            if (type < 0) {
                throw new EOFException();
            }
            long start = System.nanoTime();
            deadlines.arm(start + silenceNanos, "frame header");
            int length = Wire.checkHeader(type, in.readInt(), cap);
            if (type == Wire.HEARTBEAT) {
                continue;
            }
            if (type == Wire.GOODBYE) {
                return "peer closed the link";
            }
            // length <= 1 GiB and nanosPerByte <= 1e9: the product fits in a long
            deadlines.arm(start + silenceNanos + length * nanosPerByte, "frame of " + length + " bytes");
            byte[] body = length <= scratch.length ? scratch : new byte[length];
            in.readFully(body, 0, length);
            if (!transport.closing()) {
                transport.deliver(link.peer, ByteBuffer.wrap(body, 0, length).asReadOnlyBuffer());
            }
        }
    }

    private void writeLoop() {
        long heartbeatNanos = transport.config().heartbeatInterval().toNanos();
        try {
            while (!closed) {
                if (closing) {
                    for (byte[] f = queue.poll(); f != null; f = queue.poll()) {
                        writeData(f);
                    }
                    out.writeByte(Wire.GOODBYE);
                    out.writeInt(0);
                    out.flush();
                    return;
                }
                byte[] frame;
                try {
                    frame = queue.poll(heartbeatNanos, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    continue; // closing or closed: the loop re-checks
                }
                if (frame == null) {
                    out.writeByte(Wire.HEARTBEAT);
                    out.writeInt(0);
                    out.flush();
                    continue;
                }
                int batch = 1;
                writeData(frame);
                while (batch < MAX_BATCH && (frame = queue.poll()) != null) {
                    writeData(frame);
                    batch++;
                }
                out.flush();
                transport.countBatch(batch);
            }
        } catch (IOException e) {
            if (!closed) {
                fail("write failed: " + e.getMessage());
            }
        }
    }

    private void writeData(byte[] frame) throws IOException {
        out.writeByte(Wire.DATA);
        out.writeInt(frame.length);
        out.write(frame);
    }

    /** Ends the connection now; {@code reason} becomes the DOWN event's detail. */
    void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
        closed = true;
        TcpTransport.closeQuietly(socket);
    }

    /** Asks the writer to drain the queue and say goodbye; {@link #awaitWriter} waits for it. */
    void beginClose() {
        closing = true;
        Thread w = writer;
        if (w != null) {
            w.interrupt();
        }
    }

    boolean awaitWriter(long deadlineNanos) throws InterruptedException {
        Thread w = writer;
        if (w == null) {
            return true;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.timedJoin(w, left);
        }
        return !w.isAlive();
    }

    boolean awaitReaderDone(Duration wait) throws InterruptedException {
        return readerDone.await(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    private String describe() {
        return (transport.options().tls() != null ? "TLS " : "TCP ") + socket.getLocalSocketAddress() + " <-> "
                + socket.getRemoteSocketAddress();
    }
}
