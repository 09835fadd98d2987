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
    private static TestPki pki;
    private static final java.util.Map<String, PluginOptions> BY_CLUSTER = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void makeAuthority() {
        pki = TestPki.create(dir, "federation");
        BY_CLUSTER.clear();
    }

    /** Each cluster its own certificate (CN = its cluster id), as the tcp plugin binds certificates to clusters. */
    @Override
    protected TransportConfig configure(TransportConfig config) {
        String cluster = config.localNode().cluster().value();
        return config.withOptions(BY_CLUSTER.computeIfAbsent(cluster,
                c -> TlsOptions.options(pki.issue(c), pki.trustStore())));
    }
}
