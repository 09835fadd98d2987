package io.mpreg.transport.tcp.internal;

import io.mpreg.api.spi.transport.ClusterCertificates;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Opens connections: listens (plain or TLS), dials a peer, and runs the hello exchange that binds a connection to a
 * configured node id in both directions. The whole handshake, TLS included, must finish within the failure
 * timeout.
 */
final class Handshake {
    private static final System.Logger LOG = System.getLogger(Handshake.class.getName());
    private static final int STREAM_BUFFER = 64 * 1024;
    private static final String[] PROTOCOLS = {TlsSettings.PROTOCOL};

    private final TcpTransport transport;
    private final SSLContext tls;

    Handshake(TcpTransport transport, SSLContext tls) {
        this.transport = transport;
        this.tls = tls;
    }

    ServerSocket listen(InetSocketAddress address) throws IOException {
        ServerSocket server;
        if (tls != null) {
            SSLServerSocket s = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
            s.setNeedClientAuth(true);
            s.setEnabledProtocols(PROTOCOLS);
            server = s;
        } else {
            server = new ServerSocket();
        }
        try {
            server.setReuseAddress(true);
            int buffer = transport.options().socketBufferBytes();
            if (buffer > 0) {
                server.setReceiveBufferSize(buffer);
            }
            server.bind(address, 64);
            return server;
        } catch (IOException e) {
            TcpTransport.closeQuietly(server);
            throw e;
        }
    }

    /** The hello exchange on an accepted socket; null (and the socket closed, the reason logged) if refused. */
    Connection accept(Socket socket) {
        int failureMillis = failureMillis();
        try {
            configure(socket);
            socket.setSoTimeout(failureMillis);
            if (socket instanceof SSLSocket) {
                ((SSLSocket) socket).startHandshake();
            }
            Streams streams = streams(socket);
            streams.deadlines.arm(System.nanoTime() + transport.config().failureTimeout().toNanos(), "hello");
            Wire.Hello hello = Wire.readHello(streams.in);
            String problem = null;
            if (!hello.to().equals(transport.localNode())) {
                problem = "hello addressed to " + hello.to() + ", this is " + transport.localNode();
            } else if (transport.link(hello.from()) == null) {
                problem = "unexpected identity " + hello.from() + ": not a configured peer of "
                        + transport.localNode();
            } else if (socket instanceof SSLSocket && transport.options().tls().clusterIdInCertificate()) {
                problem = ClusterCertificates.mismatch((SSLSocket) socket, hello.from());
            }
            if (problem != null) {
                Wire.writeRefusal(streams.out, problem);
                transport.refuse(socket, problem);
                return null;
            }
            Wire.writeWelcome(streams.out, transport.localNode(), transport.config().maxFrameBytes());
            streams.deadlines.disarm();
            return new Connection(transport, transport.link(hello.from()), socket, streams.deadlines, streams.in,
                    streams.out, Math.min(transport.config().maxFrameBytes(), hello.maxFrameBytes()));
        } catch (SocketTimeoutException e) {
            transport.refuse(socket, "no hello within " + failureMillis + " ms");
        } catch (EOFException e) {
            transport.refuse(socket, "connection closed during the hello");
        } catch (IOException e) {
            transport.refuse(socket, "bad hello: " + e.getMessage());
        }
        return null;
    }

    /** Connects to {@code link}'s peer and runs the hello; null if that failed (logged). */
    Connection dial(PeerLink link) {
        Socket socket = new Socket();
        try {
            configure(socket);
            int buffer = transport.options().socketBufferBytes();
            if (buffer > 0) {
                socket.setReceiveBufferSize(buffer);
            }
            socket.connect(link.address, failureMillis());
            socket.setSoTimeout(failureMillis());
            if (tls != null) {
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                        link.address.getHostString(), link.address.getPort(), true);
                ssl.setUseClientMode(true);
                ssl.setEnabledProtocols(PROTOCOLS);
                socket = ssl;
                ssl.startHandshake();
                // the peer's certificate must name the cluster dialed, before it hears anything from this node
                String mismatch = transport.options().tls().clusterIdInCertificate()
                        ? ClusterCertificates.mismatch(ssl, link.peer) : null;
                if (mismatch != null) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: {1} at {2}: {3}; hanging up", transport.localNode(),
                            link.peer, link.address, mismatch);
                    TcpTransport.closeQuietly(socket);
                    return null;
                }
            }
            Streams streams = streams(socket);
            streams.deadlines.arm(System.nanoTime() + transport.config().failureTimeout().toNanos(), "answer");
            Wire.writeHello(streams.out, new Wire.Hello(transport.localNode(), link.peer,
                    transport.config().maxFrameBytes()));
            Wire.Answer answer = Wire.readAnswer(streams.in);
            if (!answer.welcome()) {
                LOG.log(System.Logger.Level.WARNING, "{0}: {1} at {2} refused the link: {3}",
                        transport.localNode(), link.peer, link.address, answer.reason());
                TcpTransport.closeQuietly(socket);
                return null;
            }
            if (!answer.node().equals(link.peer)) {
                LOG.log(System.Logger.Level.WARNING, "{0}: reached {1} at {2}, expected {3}; hanging up",
                        transport.localNode(), answer.node(), link.address, link.peer);
                TcpTransport.closeQuietly(socket);
                return null;
            }

            streams.deadlines.disarm();
            return new Connection(transport, link, socket, streams.deadlines, streams.in, streams.out,
                    Math.min(transport.config().maxFrameBytes(), answer.maxFrameBytes()));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: cannot link to {1} at {2}: {3}", transport.localNode(),
                    link.peer, link.address, e.toString());
            TcpTransport.closeQuietly(socket);
            return null;
        }
    }

    private int failureMillis() {
        return (int) Math.min(Integer.MAX_VALUE, transport.config().failureTimeout().toMillis());
    }

    private void configure(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        socket.setKeepAlive(true);
        int buffer = transport.options().socketBufferBytes();
        if (buffer > 0) {
            socket.setSendBufferSize(buffer);
        }
    }

    private record Streams(DeadlineInputStream deadlines, DataInputStream in, DataOutputStream out) {
    }

    private static Streams streams(Socket socket) throws IOException {
        DeadlineInputStream deadlines = new DeadlineInputStream(socket.getInputStream());
        return new Streams(deadlines, new DataInputStream(new BufferedInputStream(deadlines, STREAM_BUFFER)),
                new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), STREAM_BUFFER)));
    }
}
