package io.mpreg.api;

/**
 * Why a delivery or a consensus round did not succeed. Every abort names exactly one reason.
 *
 * @since 0.1.0
 */
public enum AbortReason {
    /** Enough weight voted no (or departed) that the quorum could no longer be reached. */
    QUORUM_IMPOSSIBLE,
    /** The deadline passed before the outcome was certain. */
    TIMEOUT,
    /** The quorum was lost because equivocating voters were excluded. */
    BYZANTINE,
    /** Voters whose weight table differs from the coordinator's answered instead of voting, and the quorum was lost. */
    WEIGHTS_MISMATCH,
    /** No route leads to a target cluster. */
    NO_ROUTE,
    /** The request was refused before a round opened (for example: too many rounds in flight). */
    REJECTED,
    /** The sender or the node cancelled the round. */
    CANCELLED
}
