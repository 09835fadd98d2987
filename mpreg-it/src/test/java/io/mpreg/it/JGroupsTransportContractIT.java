package io.mpreg.it;

import io.mpreg.api.spi.transport.TransportProvider;
import io.mpreg.federation.ProviderRegistry;
import io.mpreg.it.tck.TransportContract;

/** The transport contract kit against the "jgroups" plugin, found as an application finds it. */
class JGroupsTransportContractIT extends TransportContract {

    @Override
    protected TransportProvider provider() {
        return ProviderRegistry.transports().select("jgroups");
    }
}
