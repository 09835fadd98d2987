package io.mpreg.api.spi.transport;

import io.mpreg.api.MpregException;

/**
 * A transport failed to do what was asked (start, bind, link).
 *
 * @since 0.1.0
 */
public class TransportException extends MpregException {
    private static final long serialVersionUID = 1L;

    public TransportException(String message) {
        super(message);
    }

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
