/**
 * The shape every MPREG plugin shares: a {@link io.mpreg.api.spi.ComponentProvider} found through
 * {@link java.util.ServiceLoader} that creates the working component from an immutable configuration, and the
 * free-form {@link io.mpreg.api.spi.PluginOptions} a provider may read. The concrete SPIs live in the sub-packages
 * {@code transport}, {@code weighting} and {@code fault}.
 *
 * @since 0.1.0
 */
package io.mpreg.api.spi;
