package com.example.relay;

import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportProvider;

import java.util.Optional;
import java.util.ServiceLoader;

/** Transport plugin "relay": frames over the best other transport plugin found, counted. */
public final class RelayTransportProvider implements TransportProvider {

    @Override
    public String name() {
        return "relay";
    }

    @Override
    public int priority() {
        return 1; // below the built-in plugins: chosen by name only
    }

    @Override
    public boolean isAvailable() {
        return inner().isPresent();
    }

    @Override
    public Transport create(TransportConfig config) {
        TransportProvider inner = inner().orElseThrow(() -> new IllegalStateException("relay needs another transport "
                + "plugin to carry its frames"));
        return new RelayTransport(inner.create(config));
    }

    private static Optional<TransportProvider> inner() {
        return ServiceLoader.load(TransportProvider.class, RelayTransportProvider.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).filter(p -> !p.name().equals("relay"))
                .filter(TransportProvider::isAvailable)
                .max(java.util.Comparator.comparingInt(TransportProvider::priority));
    }
}
