package io.mpreg.consensus;

import io.mpreg.api.AbortReason;
import io.mpreg.api.MpregException;

/**
 * A round could not be opened: the configuration is refused, no target carries weight, or the engine is full.
 * Carries the reason a delivery built on the round would report.
 *
 * @since 0.1.0
 */
public final class ConsensusException extends MpregException {
    private static final long serialVersionUID = 1L;
    private final AbortReason reason;

    public ConsensusException(AbortReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** The reason to report to the sender. */
    public AbortReason reason() {
        return reason;
    }
}
