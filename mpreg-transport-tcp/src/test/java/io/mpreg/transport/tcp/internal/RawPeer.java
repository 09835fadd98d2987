package io.mpreg.transport.tcp.internal;

import io.mpreg.api.NodeId;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** A hand-driven socket that speaks (or breaks) the tcp plugin's wire format, for bad-input tests. */
final class RawPeer implements AutoCloseable {
    final Socket socket;
    final DataOutputStream out;
    final DataInputStream in;

    RawPeer(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 5_000);
        socket.setTcpNoDelay(true);
        out = new DataOutputStream(socket.getOutputStream());
        in = new DataInputStream(socket.getInputStream());
    }

    /** Sends a hello and returns the answer. */
    Wire.Answer hello(NodeId from, NodeId to) throws IOException {
        Wire.writeHello(out, new Wire.Hello(from, to, 1 << 20));
        return Wire.readAnswer(in);
    }

    void header(int type, int length) throws IOException {
        out.writeByte(type);
        out.writeInt(length);
        out.flush();
    }

    /**
     * Reads until the other side closes the connection; fails if it is still open after {@code within}. Data the
     * other side sends meanwhile (heartbeats) is skipped.
     */
    void awaitClosedBy(Duration within) throws IOException {
        long deadline = System.nanoTime() + within.toNanos();
        socket.setSoTimeout(50);
        InputStream raw = socket.getInputStream();
        byte[] sink = new byte[4096];
        while (System.nanoTime() - deadline < 0) {
            try {
                if (raw.read(sink) < 0) {
                    return;
                }
            } catch (SocketTimeoutException stillOpen) {
                // keep reading until the deadline
            } catch (IOException reset) {
                return;
            }
        }
        throw new AssertionError("connection still open after " + within.toMillis() + " ms");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
