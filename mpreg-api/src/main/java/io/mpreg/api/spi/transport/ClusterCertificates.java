package io.mpreg.api.spi.transport;

import io.mpreg.api.NodeId;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.security.auth.x500.X500Principal;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * Binds a TLS peer's certificate to the cluster it claims to be: the certificate's subject common name must be the
 * cluster id. A certificate from the federation's CA proves membership; this makes it prove which member, so a
 * cluster holding a valid certificate cannot speak as another one. One certificate may serve every node of its
 * cluster. Both built-in transports use it (option {@code tls.clusterIdInCertificate}, default true); a third-party
 * transport with TLS should too.
 *
 * @since 0.3.0
 */
public final class ClusterCertificates {
    private ClusterCertificates() {
    }

    /**
     * Null if the peer certificate of {@code socket}'s TLS session names {@code claimed}'s cluster, else why not
     * (completes the handshake first if it has not run yet).
     */
    public static String mismatch(SSLSocket socket, NodeId claimed) {
        try {
            return mismatch(socket.getSession().getPeerCertificates(), claimed);
        } catch (SSLPeerUnverifiedException e) {
            return "no verified peer certificate";
        }
    }

    /** Null if {@code chain} (a verified peer chain, the peer's own certificate first) names {@code claimed}'s cluster. */
    public static String mismatch(Certificate[] chain, NodeId claimed) {
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
            return "no X.509 peer certificate";
        }
        X500Principal subject = ((X509Certificate) chain[0]).getSubjectX500Principal();
        String cn = commonName(subject.getName(X500Principal.RFC2253));
        String cluster = claimed.cluster().value();
        return cluster.equals(cn) ? null : "the certificate of " + claimed + " names " + (cn == null ? "no cluster"
                : "cluster '" + cn + "'") + " (CN), not '" + cluster + "'";
    }

    /** The first CN of an RFC 2253 name, unescaped; null if it has none. */
    public static String commonName(String rfc2253) {
        int i = 0;
        while (i < rfc2253.length()) {
            int end = i;
            boolean escaped = false;
            StringBuilder value = new StringBuilder();
            String type = null;
            while (end < rfc2253.length()) {
                char c = rfc2253.charAt(end);
                if (escaped) {
                    value.append(c);
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == ',' || c == '+') {
                    break;
                } else if (c == '=' && type == null) {
                    type = value.toString();
                    value.setLength(0);
                } else {
                    value.append(c);
                }
                end++;
            }
            if ("CN".equalsIgnoreCase(type == null ? null : type.strip())) {
                return value.toString();
            }
            i = end + 1;
        }
        return null;
    }
}
