package io.mpreg.it.sim;

import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportProvider;

/**
 * Transport "sim": the transports of one {@link SimNetwork}. Not registered with {@link java.util.ServiceLoader}
 * (it needs its network): give it to a node builder explicitly, {@code builder.transport(new
 * SimTransportProvider(network))}. A third-party plugin's author can run the federation over it next to theirs.
 *
 * @since 0.3.0
 */
public final class SimTransportProvider implements TransportProvider {
    private final SimNetwork network;

    public SimTransportProvider(SimNetwork network) {
        if (network == null) {
            throw new IllegalArgumentException("a sim transport provider needs a network, got null");
        }
        this.network = network;
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public Transport create(TransportConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("sim transport needs a config, got null");
        }
        return network.create(config);
    }
}
