/**
 * The transport SPI: moving opaque byte frames between named peers and reporting peers coming up and going down.
 * A transport knows nothing of votes or queues. Implement {@link io.mpreg.api.spi.transport.TransportProvider},
 * register it with {@code provides ... with ...} and its {@code META-INF/services} twin, and run the transport
 * contract kit from {@code mpreg-it} against it.
 *
 * @since 0.1.0
 */
package io.mpreg.api.spi.transport;
