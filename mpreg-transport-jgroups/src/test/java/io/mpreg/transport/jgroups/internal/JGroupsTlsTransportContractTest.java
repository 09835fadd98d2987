package io.mpreg.transport.jgroups.internal;

import io.mpreg.api.spi.transport.TransportProvider;
import io.mpreg.tck.TlsTransportContract;

/** The whole transport contract again, this plugin's links on mutual TLS 1.3. */
class JGroupsTlsTransportContractTest extends TlsTransportContract {

    @Override
    protected TransportProvider provider() {
        return new JGroupsTransportProvider();
    }
}
