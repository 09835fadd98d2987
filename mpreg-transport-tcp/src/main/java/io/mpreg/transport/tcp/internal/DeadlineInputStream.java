package io.mpreg.transport.tcp.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Sits between a socket's stream and its read buffer and fails a read that returns after a deadline, so a peer
 * that trickles a frame a byte at a time (slow-loris) is cut off even though each of its bytes beats the socket's
 * read timeout. Only real socket reads are checked, so buffered reads cost nothing. Used by one thread.
 */
final class DeadlineInputStream extends FilterInputStream {
    private long deadline;
    private boolean armed;
    private String what = "";

    DeadlineInputStream(InputStream socketStream) {
        super(socketStream);
    }

    /** From now on, reads returning after {@code nanoTime} fail with a message naming {@code description}. */
    void arm(long nanoTime, String description) {
        deadline = nanoTime;
        what = description;
        armed = true;
    }

    void disarm() {
        armed = false;
    }

    boolean armed() {
        return armed;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        check();
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        check();
        return n;
    }

    private void check() throws IOException {
        if (armed && System.nanoTime() - deadline > 0) {
            throw new Wire.ProtocolException(what + " not complete in time (peer too slow)");
        }
    }
}
