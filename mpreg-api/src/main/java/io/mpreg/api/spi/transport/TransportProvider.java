package io.mpreg.api.spi.transport;

import io.mpreg.api.spi.ComponentProvider;

/**
 * Finds and creates a {@link Transport}. See {@link ComponentProvider} for the loading contract; the built-in
 * providers are named {@code tcp} and {@code jgroups}.
 *
 * @since 0.1.0
 */
public interface TransportProvider extends ComponentProvider<TransportConfig, Transport> {
}
