package io.mpreg.tck;

import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.transport.TransportConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The whole transport contract with every node on mutual TLS 1.3: each cluster gets its own certificate (subject
 * CN = its cluster id) from one throw-away authority, passed as the {@link TlsOptions} both built-in plugins read. A
 * plugin with other option names overrides {@link #configure}.
 *
 * @since 0.3.0
 */
public abstract class TlsTransportContract extends TransportContract {
    @TempDir
    static Path dir;
    private static TestPki pki;
    private static final java.util.Map<String, PluginOptions> BY_CLUSTER = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void makeAuthority() {
        pki = TestPki.create(dir, "federation");
        BY_CLUSTER.clear();
    }

    /** Each cluster its own certificate (CN = its cluster id), as the built-in plugins bind certificates to clusters. */
    @Override
    protected TransportConfig configure(TransportConfig config) {
        String cluster = config.localNode().cluster().value();
        return config.withOptions(BY_CLUSTER.computeIfAbsent(cluster,
                c -> TlsOptions.options(pki.issue(c), pki.trustStore())));
    }
}
