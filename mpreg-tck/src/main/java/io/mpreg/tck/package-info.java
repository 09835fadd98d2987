/**
 * The transport contract kit (TCK): {@link io.mpreg.tck.TransportContract}, JUnit 5 tests that any
 * {@link io.mpreg.api.spi.transport.TransportProvider} runs against itself, with the helpers they are built from
 * (loopback ports, a recording receiver that checks the receiver-side contract, resource snapshots).
 *
 * @since 0.1.0
 */
package io.mpreg.tck;
