package io.mpreg.transport.jgroups.internal;

import io.mpreg.api.spi.PluginOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The jgroups plugin's own settings, read from {@link io.mpreg.api.spi.transport.TransportConfig#options()}:
 * <ul>
 *   <li>{@code jgroups.cluster} (default {@code mpreg}): the JGroups cluster every gateway of one federation joins;
 *       the federation node passes its federation name;</li>
 *   <li>{@code jgroups.stack}: path of a stack XML file to use instead of the built-in {@code mpreg-jgroups.xml};</li>
 *   <li>{@code jgroups.diagnostics} (default false): JGroups' probe diagnostics;</li>
 *   <li>{@code jgroups.closeLingerMillis} (default 1000): how long {@code close()} lets queued frames drain;</li>
 *   <li>mutual TLS 1.3 on JGroups' TCP transport, client authentication required: {@code tls=true} with the same
 *       keys as the tcp plugin, {@code tls.keyStore}, {@code tls.keyStorePassword}, {@code tls.keyStoreType}
 *       (PKCS12), {@code tls.trustStore}, {@code tls.trustStorePassword}, {@code tls.trustStoreType} (PKCS12);
 *       {@code tls.clusterIdInCertificate} (default true): a member comes up, and its frames are taken, only once
 *       the certificate on its connection names the cluster of the node id it claims ({@link CertificateBinding}).</li>
 * </ul>
 *
 * @param cluster      JGroups cluster name
 * @param stack        custom stack file, or null for the built-in one
 * @param diagnostics  whether probe diagnostics run
 * @param closeLingerMillis drain time on close
 * @param tls          JGroups TCP properties for TLS ({@code tls.*} attribute names), empty when TLS is off
 * @param clusterIdInCertificate whether, with TLS, a member's certificate must name its cluster
 */
record JGroupsOptions(String cluster, Path stack, boolean diagnostics, long closeLingerMillis,
                      Map<String, String> tls, boolean clusterIdInCertificate) {

    JGroupsOptions {
        if (cluster == null || !cluster.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("option jgroups.cluster='" + cluster
                    + "' must be 1-64 characters from [A-Za-z0-9._-]");
        }
        if (stack != null && !Files.isReadable(stack)) {
            throw new IllegalArgumentException("option jgroups.stack=" + stack + " is not a readable file");
        }
        tls = Map.copyOf(tls);
    }

    static JGroupsOptions from(PluginOptions options) {
        String stack = options.string("jgroups.stack", null);
        return new JGroupsOptions(options.string("jgroups.cluster", "mpreg"), stack == null ? null : Path.of(stack),
                options.booleanValue("jgroups.diagnostics", false),
                options.longValue("jgroups.closeLingerMillis", 1000, 0, 60_000), tls(options),
                options.booleanValue("tls.clusterIdInCertificate", true));
    }

    private static Map<String, String> tls(PluginOptions options) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!options.booleanValue("tls", false)) {
            return out;
        }
        out.put("tls.enabled", "true");
        out.put("tls.client_auth", "NEED");
        out.put("tls.protocols", "TLSv1.3");
        out.put("tls.keystore_path", readable(options, "tls.keyStore"));
        out.put("tls.keystore_password", required(options, "tls.keyStorePassword"));
        out.put("tls.keystore_type", options.string("tls.keyStoreType", "PKCS12"));
        out.put("tls.truststore_path", readable(options, "tls.trustStore"));
        out.put("tls.truststore_password", required(options, "tls.trustStorePassword"));
        out.put("tls.truststore_type", options.string("tls.trustStoreType", "PKCS12"));
        return out;
    }

    private static String required(PluginOptions options, String key) {
        String value = options.string(key, null);
        if (value == null) {
            throw new IllegalArgumentException("option tls=true needs " + key);
        }
        return value;
    }

    private static String readable(PluginOptions options, String key) {
        String value = required(options, key);
        if (!Files.isReadable(Path.of(value))) {
            throw new IllegalArgumentException("option " + key + "=" + value + " is not a readable file");
        }
        return value;
    }

    @Override
    public String toString() {
        return "JGroupsOptions[cluster=" + cluster + ", stack=" + stack + ", diagnostics=" + diagnostics + ", tls="
                + !tls.isEmpty() + ", clusterIdInCertificate=" + clusterIdInCertificate + "]";
    }
}
