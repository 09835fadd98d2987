package io.mpreg.federation.storage;

import io.mpreg.api.MpregException;

/**
 * A node's stored state cannot be used: a record failing its checksum inside the log (the message names the file
 * and the offset), a data directory another process holds, or a log this version cannot read. The node does not
 * start; nothing is skipped silently.
 *
 * @since 0.4.0
 */
public final class StorageException extends MpregException {
    private static final long serialVersionUID = 1L;

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
