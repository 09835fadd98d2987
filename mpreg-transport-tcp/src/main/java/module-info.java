/**
 * The "tcp" transport plugin: length-prefixed frames over raw TCP between federation gateways, heartbeats and a
 * silence-based failure detector, reconnect with capped exponential backoff, optional mutual TLS 1.3. Depends on the
 * API alone (logs through {@link java.lang.System.Logger}, which SLF4J can take over); nothing depends on it at
 * compile time.
 *
 * @since 0.1.0
 */
module io.mpreg.transport.tcp {
    requires io.mpreg.api;

    provides io.mpreg.api.spi.transport.TransportProvider
            with io.mpreg.transport.tcp.internal.TcpTransportProvider;
}
