/**
 * The weighting SPI: turns a cluster's configured weight and what the coordinator observed of it (votes
 * answered and missed, equivocations, latency) into the effective weight it carries in the next round. The
 * consensus module provides {@code static} and {@code reliability}; third parties add others.
 *
 * @since 0.1.0
 */
package io.mpreg.api.spi.weighting;
