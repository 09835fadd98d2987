package io.mpreg.transport.tcp.internal;

import io.mpreg.api.spi.transport.TransportProvider;
import io.mpreg.tck.TransportContract;

/** The transport contract kit against this plugin, in its own test phase, as any third-party plugin runs it. */
class TcpTransportContractTest extends TransportContract {

    @Override
    protected TransportProvider provider() {
        return new TcpTransportProvider();
    }
}
