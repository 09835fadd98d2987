package io.mpreg.api;

/**
 * What a target cluster answers to a PREPARE.
 *
 * @since 0.1.0
 */
public enum Verdict {
    /** The target validated and stored the message tentatively; it will deliver on COMMIT. */
    YES,
    /** The target refuses the message (no such queue, full, duplicate, ...); the vote carries the reason. */
    NO,
    /** The target's weight table differs from the coordinator's: it answers this instead of voting. */
    WEIGHTS_MISMATCH
}
