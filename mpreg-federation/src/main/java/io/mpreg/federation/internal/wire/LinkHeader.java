package io.mpreg.federation.internal.wire;

/**
 * What every frame says about the link it travels on, so a receiver can refuse frames it has already seen
 * ({@code io.mpreg.federation.internal.link.LinkGuard}).
 *
 * @param senderEpoch   the sending node's incarnation: a random non-zero number drawn when the node starts
 * @param receiverEpoch the incarnation of the receiver the sender addresses, as the sender last heard it; 0 only on a
 *                      hello (the greeting may precede hearing anything from the receiver)
 * @param sequence      the sender's count of frames to this receiver in this incarnation, from 1
 */
public record LinkHeader(long senderEpoch, long receiverEpoch, long sequence) {
    /** Bytes on the wire: three big-endian longs. */
    public static final int BYTES = 24;

    public LinkHeader {
        if (senderEpoch == 0) {
            throw new IllegalArgumentException("sender epoch 0");
        }
        if (sequence <= 0) {
            throw new IllegalArgumentException("sequence " + sequence + " <= 0");
        }
    }
}
