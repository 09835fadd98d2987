package io.mpreg.it;

import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.it.tck.TestPki;
import io.mpreg.it.tck.TransportContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The whole transport contract with every node on mutual TLS 1.3 (the {@code tls.*} options both plugins read). */
abstract class TlsTransportContract extends TransportContract {
    @TempDir
    static Path dir;
    private static PluginOptions tls;

    @BeforeAll
    static void makeCertificates() {
        TestPki pki = TestPki.create(dir, "federation");
        tls = TlsOptions.options(pki.issue("member"), pki.trustStore());
    }

    @Override
    protected TransportConfig configure(TransportConfig config) {
        return config.withOptions(tls);
    }
}
