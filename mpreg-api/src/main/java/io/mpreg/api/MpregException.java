package io.mpreg.api;

/**
 * The root of every exception MPREG throws on purpose. Unchecked: callers decide where to handle failures.
 * Argument checks throw {@link IllegalArgumentException} instead, with the bad value in the message.
 *
 * @since 0.1.0
 */
public class MpregException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MpregException(String message) {
        super(message);
    }

    public MpregException(String message, Throwable cause) {
        super(message, cause);
    }
}
