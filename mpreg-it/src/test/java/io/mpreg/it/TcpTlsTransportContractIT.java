package io.mpreg.it;

import io.mpreg.api.spi.transport.TransportProvider;
import io.mpreg.federation.ProviderRegistry;

/** The whole transport contract again, the "tcp" plugin's links on mutual TLS 1.3. */
class TcpTlsTransportContractIT extends TlsTransportContract {

    @Override
    protected TransportProvider provider() {
        return ProviderRegistry.transports().select("tcp");
    }
}
