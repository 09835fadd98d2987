package io.mpreg.federation.internal.wire;

import io.mpreg.api.MpregException;

/** A frame could not be decoded; {@link #kind()} says how it was wrong. */
public final class WireException extends MpregException {
    private static final long serialVersionUID = 1L;

    /** How a frame was wrong. */
    public enum Kind { TOO_SHORT, TOO_LARGE, BAD_MAGIC, UNKNOWN_VERSION, UNKNOWN_TYPE, MALFORMED, TRAILING_BYTES }

    private final Kind kind;

    public WireException(Kind kind, String message) {
        super(kind + ": " + message);
        this.kind = kind;
    }

    public WireException(Kind kind, String message, Throwable cause) {
        super(kind + ": " + message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
