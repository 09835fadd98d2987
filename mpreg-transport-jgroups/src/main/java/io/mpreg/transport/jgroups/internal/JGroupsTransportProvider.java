package io.mpreg.transport.jgroups.internal;

import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportProvider;

/**
 * The provider of the "jgroups" transport. Options: see {@link JGroupsOptions}. The built-in stack is
 * {@code mpreg-jgroups.xml} in this module (package {@code io.mpreg.transport.jgroups.internal}).
 */
public final class JGroupsTransportProvider implements TransportProvider {

    @Override
    public String name() {
        return "jgroups";
    }

    @Override
    public int priority() {
        return 5;
    }

    @Override
    public Transport create(TransportConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("jgroups transport needs a config, got null");
        }
        return new JGroupsTransport(config, JGroupsOptions.from(config.options()));
    }
}
