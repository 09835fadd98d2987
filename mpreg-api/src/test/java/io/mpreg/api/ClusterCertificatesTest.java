package io.mpreg.api;

import io.mpreg.api.spi.transport.ClusterCertificates;
import org.junit.jupiter.api.Test;

import java.security.cert.Certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterCertificatesTest {
    @Test
    void theFirstCommonNameIsReadUnescaped() {
        assertEquals("c1", ClusterCertificates.commonName("CN=c1,O=federation"));
        assertEquals("c1", ClusterCertificates.commonName("O=federation,CN=c1,CN=c2"));
        assertEquals("a,b", ClusterCertificates.commonName("CN=a\\,b,O=x"));
        assertEquals("x", ClusterCertificates.commonName("OU=u+CN=x"));
        assertNull(ClusterCertificates.commonName("O=federation,OU=ops"));
        assertNull(ClusterCertificates.commonName(""));
    }

    @Test
    void anEmptyChainBindsToNothing() {
        NodeId n = NodeId.of("c1", "gw");
        assertTrue(ClusterCertificates.mismatch(new Certificate[0], n).contains("no X.509"));
        assertTrue(ClusterCertificates.mismatch((Certificate[]) null, n).contains("no X.509"));
    }
}
