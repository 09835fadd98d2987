package io.mpreg.it;

import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportProvider;
import io.mpreg.federation.ProviderRegistry;
import io.mpreg.it.tck.TestPki;
import io.mpreg.it.tck.TransportContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The whole transport contract again over JGroups, its TCP transport on mutual TLS 1.3. */
class JGroupsTlsTransportContractIT extends TransportContract {
    @TempDir
    static Path dir;
    private static PluginOptions tls;

    @BeforeAll
    static void makeCertificates() {
        TestPki pki = TestPki.create(dir, "federation");
        tls = TcpTls.options(pki.issue("member"), pki.trustStore());
    }

    @Override
    protected TransportProvider provider() {
        return ProviderRegistry.transports().select("jgroups");
    }

    @Override
    protected TransportConfig configure(TransportConfig config) {
        return config.withOptions(tls);
    }
}
