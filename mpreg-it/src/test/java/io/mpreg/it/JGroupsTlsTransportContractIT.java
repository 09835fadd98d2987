package io.mpreg.it;

import io.mpreg.api.spi.transport.TransportProvider;
import io.mpreg.federation.ProviderRegistry;

/** The whole transport contract again, the "jgroups" plugin's links on mutual TLS 1.3. */
class JGroupsTlsTransportContractIT extends TlsTransportContract {

    @Override
    protected TransportProvider provider() {
        return ProviderRegistry.transports().select("jgroups");
    }
}
