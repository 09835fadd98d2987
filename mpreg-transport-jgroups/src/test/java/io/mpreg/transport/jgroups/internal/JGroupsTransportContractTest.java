package io.mpreg.transport.jgroups.internal;

import io.mpreg.api.spi.transport.TransportProvider;
import io.mpreg.tck.TransportContract;

/** The transport contract kit against this plugin, in its own test phase, as any third-party plugin runs it. */
class JGroupsTransportContractTest extends TransportContract {

    @Override
    protected TransportProvider provider() {
        return new JGroupsTransportProvider();
    }
}
