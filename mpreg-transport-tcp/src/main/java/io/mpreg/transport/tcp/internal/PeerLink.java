package io.mpreg.transport.tcp.internal;

import io.mpreg.api.NodeId;
import io.mpreg.api.spi.transport.PeerState;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One configured peer and its current connection, if any. At most one connection is current; a newer one replaces
 * the old only after the old one's reader has finished (and reported DOWN), so the receiver sees UP, DOWN, UP in
 * order and never two readers of one peer at once.
 */
final class PeerLink {
    final NodeId peer;
    final InetSocketAddress address;
    /** True if this side dials the peer: the smaller node id dials, so each pair has one connection. */
    final boolean dials;
    private volatile Connection current;

    PeerLink(NodeId peer, InetSocketAddress address, boolean dials) {
        this.peer = peer;
        this.address = address;
        this.dials = dials;
    }

    Connection current() {
        return current;
    }

    /**
     * Makes {@code connection} current.
     *
     * @return false if the previous connection's reader did not finish within {@code wait}
     */
    boolean activate(Connection connection, Duration wait) throws InterruptedException {
        Connection old;
        synchronized (this) {
            old = current;
            current = connection;
        }
        if (old == null) {
            return true;
        }
        old.fail("replaced by a newer connection from " + peer);
        return old.awaitReaderDone(wait);
    }

    synchronized void deactivate(Connection connection) {
        if (current == connection) {
            current = null;
        }
    }

    PeerState state() {
        Connection c = current;
        if (c == null) {
            return PeerState.DOWN;
        }
        return c.backlogged() ? PeerState.BACKLOGGED : PeerState.UP;
    }
}
