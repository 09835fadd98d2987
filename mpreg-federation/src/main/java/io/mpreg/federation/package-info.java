/**
 * The federation node and its building blocks. For now: {@link io.mpreg.federation.ProviderRegistry}, which finds
 * transport, weighting and fault-detection plugins defensively.
 *
 * @since 0.1.0
 */
package io.mpreg.federation;
