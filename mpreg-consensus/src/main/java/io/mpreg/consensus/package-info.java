/**
 * Weighted voting rounds for MPREG's voted delivery guarantees. A {@link io.mpreg.consensus.ConsensusEngine}
 * owns many concurrent rounds: each opens with a snapshot of the targets' effective weights from a versioned
 * {@link io.mpreg.consensus.WeightTable}, counts votes into an array-indexed tally, lets fault detectors exclude
 * equivocators, and decides exactly once, as soon as the outcome is certain. Exported only to the federation and
 * the integration suite.
 *
 * @since 0.1.0
 */
package io.mpreg.consensus;
