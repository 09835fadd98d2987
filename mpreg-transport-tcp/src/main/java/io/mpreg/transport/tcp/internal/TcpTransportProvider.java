package io.mpreg.transport.tcp.internal;

import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportProvider;

/**
 * The provider of the "tcp" transport. Options it reads (all optional): {@code tcp.maxPendingHandshakes},
 * {@code tcp.minReceiveBytesPerSecond}, {@code tcp.closeLingerMillis}, {@code tcp.socketBufferBytes}, and for
 * mutual TLS 1.3 {@code tls=true} with {@code tls.keyStore}, {@code tls.keyStorePassword},
 * {@code tls.keyStoreType} (PKCS12), {@code tls.trustStore}, {@code tls.trustStorePassword},
 * {@code tls.trustStoreType} (PKCS12). See {@link TcpOptions} and {@link TlsSettings}.
 */
public final class TcpTransportProvider implements TransportProvider {

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Transport create(TransportConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("tcp transport needs a config, got null");
        }
        return new TcpTransport(config, TcpOptions.from(config.options()));
    }
}
