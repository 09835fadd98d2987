package io.mpreg.api.spi.transport;

/**
 * A frame is empty or larger than the configured cap. Thrown by {@link Transport#send} before anything is queued;
 * the link is unaffected.
 *
 * @since 0.1.0
 */
public final class FrameTooLargeException extends TransportException {
    private static final long serialVersionUID = 1L;
    private final int size;
    private final int cap;

    public FrameTooLargeException(int size, int cap) {
        super("frame of " + size + " bytes is outside [1, " + cap + "] (the configured maxFrameBytes)");
        this.size = size;
        this.cap = cap;
    }

    /** The refused frame's size. */
    public int size() {
        return size;
    }

    /** The configured cap. */
    public int cap() {
        return cap;
    }
}
