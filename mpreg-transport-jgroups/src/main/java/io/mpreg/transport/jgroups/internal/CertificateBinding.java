package io.mpreg.transport.jgroups.internal;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.ClusterCertificates;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.blocks.cs.BaseServer;
import org.jgroups.blocks.cs.Connection;
import org.jgroups.blocks.cs.TcpConnection;
import org.jgroups.protocols.TCP;
import org.jgroups.stack.Protocol;

import javax.net.ssl.SSLSocket;
import java.lang.reflect.Field;
import java.net.Socket;
import java.util.Map;

/**
 * Binds a JGroups member to the cluster its node id names: the TLS certificate on the member's connection must name
 * that cluster as its subject CN ({@link ClusterCertificates}). JGroups keeps its connections to itself, so this
 * reads three fields of its TCP transport by reflection ({@code TCP.srv}, {@code BaseServer.conns},
 * {@code TcpConnection.sock}; JGroups is an automatic module, open to reflection); {@link #of} fails at start if
 * a JGroups version lacks them, rather than running unbound.
 *
 * <p>What it does not cover: JGroups authenticates connections, not the source address inside each message, and
 * maps logical to physical addresses from discovery. A member holding a valid certificate that runs a modified
 * JGroups could still put another member's address on its messages; an unmodified member configured with another
 * cluster's node id (or a stolen certificate of one cluster used to claim another) is refused.
 */
final class CertificateBinding {
    private static final Field SERVER = field(TCP.class, "srv");
    private static final Field CONNECTIONS = field(BaseServer.class, "conns");
    private static final Field SOCKET = field(TcpConnection.class, "sock");

    private final JChannel channel;
    private final TCP tcp;

    private CertificateBinding(JChannel channel, TCP tcp) {
        this.channel = channel;
        this.tcp = tcp;
    }

    /** The binding for {@code channel}'s transport, which must be JGroups' TCP. */
    static CertificateBinding of(JChannel channel) {
        Protocol transport = channel.getProtocolStack().getTransport();
        if (!(transport instanceof TCP)) {
            throw new IllegalArgumentException("tls.clusterIdInCertificate needs JGroups' TCP transport in the stack, "
                    + "not " + transport.getClass().getName() + " (or set tls.clusterIdInCertificate=false)");
        }
        if (SERVER == null || CONNECTIONS == null || SOCKET == null) {
            throw new IllegalStateException("this JGroups version hides the TLS sessions of its connections; "
                    + "tls.clusterIdInCertificate cannot be enforced (set it to false to run without the binding)");
        }
        return new CertificateBinding(channel, (TCP) transport);
    }

    /**
     * Null if the member at {@code member}, claiming node {@code claimed}, is connected to this node over TLS with a
     * certificate naming {@code claimed}'s cluster; else why not (no connection yet is a reason too).
     */
    String mismatch(Address member, NodeId claimed) {
        Socket socket;
        try {
            Object server = SERVER.get(tcp);
            if (server == null) {
                return "the TCP transport is not started";
            }
            @SuppressWarnings("unchecked")
            Map<Address, Connection> connections = (Map<Address, Connection>) CONNECTIONS.get(server);
            // JGroups connects physical addresses; discovery maps the member's logical address to one
            Object physical = channel.down(new org.jgroups.Event(org.jgroups.Event.GET_PHYSICAL_ADDRESS, member));
            if (physical == null) {
                return "no physical address known for it yet";
            }
            Connection connection = connections.get((Address) physical);
            if (!(connection instanceof TcpConnection)) {
                return connection == null ? "no connection with it yet" : "not a TCP connection";
            }
            socket = (Socket) SOCKET.get(connection);
        } catch (IllegalAccessException e) {
            return "cannot read JGroups' connection table: " + e;
        }
        if (!(socket instanceof SSLSocket)) {
            return "its connection is not TLS";
        }
        return ClusterCertificates.mismatch((SSLSocket) socket, claimed);
    }

    private static Field field(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            return null;
        }
    }
}
