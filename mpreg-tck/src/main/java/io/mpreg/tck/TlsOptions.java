package io.mpreg.tck;

import io.mpreg.api.spi.PluginOptions;
import io.mpreg.tck.TestPki;

import java.nio.file.Path;

/**
 * The TLS options ({@code tls}, {@code tls.keyStore}, {@code tls.trustStore} and their passwords, read by both built-in
 * transport plugins) for a key store and a trust store made by {@link TestPki}. A plugin that reads other option names
 * maps these in {@link TlsTransportContract#configure}.
 *
 * @since 0.3.0
 */
public final class TlsOptions {
    private TlsOptions() {
    }

    /**
     * The options that put a node on mutual TLS with {@code keyStore} as its identity and {@code trustStore} as the
     * authorities it trusts.
     *
     * @param keyStore   a PKCS#12 key store made by {@link TestPki#issue}
     * @param trustStore a PKCS#12 trust store made by {@link TestPki#trustStore}
     * @return the options
     */
    public static PluginOptions options(Path keyStore, Path trustStore) {
        return PluginOptions.of("tls", "true", "tls.keyStore", keyStore.toString(), "tls.keyStorePassword",
                TestPki.PASSWORD, "tls.trustStore", trustStore.toString(), "tls.trustStorePassword", TestPki.PASSWORD);
    }
}
