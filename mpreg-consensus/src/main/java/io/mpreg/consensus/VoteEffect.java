package io.mpreg.consensus;

/**
 * What {@link ConsensusEngine#onVote} did with a vote.
 *
 * @since 0.1.0
 */
public enum VoteEffect {
    /** Counted in an open round (which it may have decided). */
    COUNTED,
    /** A later vote of a voter already counted, saying the same thing or not flagged: not counted again. */
    DUPLICATE,
    /** Raised a fault: the accused voter's weight left the round. */
    SUSPECTED,
    /** From a voter excluded earlier in the round: ignored. */
    FROM_EXCLUDED,
    /** For an unknown round, or from a cluster outside the round: ignored and counted as stray. */
    STRAY,
    /** For a round already decided: ignored and counted as late. */
    LATE
}
