package io.mpreg.transport.tcp.internal;

import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.transport.TransportException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * Mutual TLS 1.3 material: this node's key store (its certificate chain and private key) and the federation's
 * trust store (the CA that signs every member's certificate). Both sides present certificates
 * ({@code needClientAuth}); a peer whose certificate does not chain to the trust store is refused.
 *
 * @param keyStore           key store file holding this node's private key and certificate chain
 * @param keyStorePassword   its password (also the key's password)
 * @param keyStoreType       its type, for example {@code PKCS12}
 * @param trustStore         trust store file holding the federation's CA certificate(s)
 * @param trustStorePassword its password
 * @param trustStoreType     its type
 * @param clusterIdInCertificate whether a peer's certificate must name its cluster id as its subject CN (option
 *                           {@code tls.clusterIdInCertificate}, default true)
 */
record TlsSettings(Path keyStore, String keyStorePassword, String keyStoreType, Path trustStore,
                   String trustStorePassword, String trustStoreType, boolean clusterIdInCertificate) {
    static final String PROTOCOL = "TLSv1.3";

    TlsSettings {
        requireReadable("tls.keyStore", keyStore);
        requireReadable("tls.trustStore", trustStore);
        if (keyStorePassword == null || trustStorePassword == null) {
            throw new IllegalArgumentException("tls.keyStorePassword and tls.trustStorePassword must be set");
        }
        if (keyStoreType == null || keyStoreType.isBlank() || trustStoreType == null || trustStoreType.isBlank()) {
            throw new IllegalArgumentException("tls store types must not be blank, got " + keyStoreType + ", "
                    + trustStoreType);
        }
    }

    /** The settings under the {@code tls.*} keys, or null when {@code tls} is not {@code true}. */
    static TlsSettings fromOptions(PluginOptions options) {
        if (!options.booleanValue("tls", false)) {
            return null;
        }
        return new TlsSettings(path(options, "tls.keyStore"), options.string("tls.keyStorePassword", null),
                options.string("tls.keyStoreType", "PKCS12"), path(options, "tls.trustStore"),
                options.string("tls.trustStorePassword", null), options.string("tls.trustStoreType", "PKCS12"),
                options.booleanValue("tls.clusterIdInCertificate", true));
    }

    /** A TLS 1.3 context from the two stores. */
    SSLContext context() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(keyStore, keyStoreType, keyStorePassword), keyStorePassword.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(trustStore, trustStoreType, trustStorePassword));
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new TransportException("cannot build TLS context from key store " + keyStore + " and trust store "
                    + trustStore + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, String type, String password)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private static Path path(PluginOptions options, String key) {
        String value = options.string(key, null);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("option tls=true needs " + key);
        }
        return Path.of(value);
    }

    private static void requireReadable(String key, Path file) {
        if (file == null || !Files.isReadable(file)) {
            throw new IllegalArgumentException("option " + key + "=" + file + " is not a readable file");
        }
    }

    @Override
    public String toString() {
        return "TlsSettings[keyStore=" + keyStore + ", trustStore=" + trustStore + "]";
    }
}
