package io.mpreg.tck;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Hands out loopback addresses with ports that were free a moment ago, for tests whose nodes must know each other's
 * addresses before any of them starts (and that restart a node on the same address).
 *
 * <p>Ports come from 20000-31999, below Linux's default ephemeral range (32768-60999) and the BSD, macOS and Windows
 * ones (49152 and up): the operating system never hands these ports to outgoing connections, so a reconnecting
 * dialer cannot take a port that a test is about to listen on. The walk starts at an offset derived from the
 * process id, so two test JVMs on one machine rarely probe the same ports.
 *
 * @since 0.1.0
 */
public final class LoopbackPorts {
    private static final int FIRST = 20_000;
    private static final int COUNT = 12_000;
    private static int cursor = (int) (ProcessHandle.current().pid() * 7919 % COUNT);

    private LoopbackPorts() {
    }

    /** A loopback address whose port could be bound just now. */
    public static synchronized InetSocketAddress next() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int tries = 0; tries < COUNT; tries++) {
            int port = FIRST + cursor;
            cursor = (cursor + 1) % COUNT;
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(loopback, port));
                return new InetSocketAddress(loopback, port);
            } catch (IOException busy) {
                // taken: try the next one
            }
        }
        throw new IllegalStateException("no free loopback port in [" + FIRST + ", " + (FIRST + COUNT) + ")");
    }
}
