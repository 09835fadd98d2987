package io.mpreg.it;

import io.mpreg.api.spi.PluginOptions;
import io.mpreg.it.tck.TestPki;

import java.nio.file.Path;

/** The TLS options (read by both transport plugins) for a key store and a trust store made by {@link TestPki}. */
final class TlsOptions {
    private TlsOptions() {
    }

    static PluginOptions options(Path keyStore, Path trustStore) {
        return PluginOptions.of("tls", "true", "tls.keyStore", keyStore.toString(), "tls.keyStorePassword",
                TestPki.PASSWORD, "tls.trustStore", trustStore.toString(), "tls.trustStorePassword", TestPki.PASSWORD);
    }
}
