package io.mpreg.federation;

import io.mpreg.api.ClusterId;
import io.mpreg.api.MpregException;
import io.mpreg.api.NodeId;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad builder input fails at build() with a message that says what was wrong and what exists. */
class FederationNodeBuilderTest {
    private static final InetSocketAddress ANY = new InetSocketAddress("127.0.0.1", 0);

    private static FederationNodeBuilder valid() {
        return FederationNode.builder().federation("f").node(NodeId.of("a", "gw")).listen(ANY).insecure(true);
    }

    @Test
    void withoutTlsOrVoteKeysANodeMustBeDeclaredInsecure() {
        IllegalArgumentException tls = assertThrows(IllegalArgumentException.class, () -> valid().insecure(false)
                .build());
        assertEquals("node a/gw refuses federation links without TLS: set the transport option tls=true with its "
                + "tls.* material, or say insecure(true) explicitly", tls.getMessage());
        IllegalArgumentException keys = assertThrows(IllegalArgumentException.class, () -> valid().insecure(false)
                .transportOptions(io.mpreg.api.spi.PluginOptions.of("tls", "true")).build());
        assertTrue(keys.getMessage().startsWith("node a/gw needs vote keys"), keys.getMessage());
        java.security.KeyPair mine = io.mpreg.api.VoteKeys.generate();
        java.security.KeyPair other = io.mpreg.api.VoteKeys.generate();
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class, () -> valid()
                .voteKeys(mine.getPrivate(), Map.of(ClusterId.of("a"), other.getPublic())).build());
        assertEquals("the vote private key of a does not match its public key in the table", mismatch.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> valid()
                .voteKeys(mine.getPrivate(), Map.of(ClusterId.of("b"), other.getPublic())).build());
        assertTrue(missing.getMessage().startsWith("the vote public keys have none for this cluster a"),
                missing.getMessage());
    }

    @Test
    void requiredSettingsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FederationNode.builder().federation("f").build());
        assertEquals("a federation node needs federation, node and listen; got f, null, null", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FederationNode.builder().federation("bad name"));
    }

    @Test
    void aMissingTransportSaysWhatWasSearchedAndWhatExists() {
        // this module's tests have no transport plugin on their path
        MpregException e = assertThrows(MpregException.class, () -> valid().transport("quic").build());
        assertTrue(e.getMessage().contains("quic"), e.getMessage());
    }

    @Test
    void missingWeightingOrDetectorPluginsAreNamed() {
        MpregException w = assertThrows(MpregException.class,
                () -> valid().weighting("psychic", io.mpreg.api.spi.PluginOptions.NONE).build());
        assertTrue(w.getMessage().contains("psychic") && w.getMessage().contains("reliability"), w.getMessage());
        MpregException d = assertThrows(MpregException.class,
                () -> valid().faultDetectors("equivocation", "telepathy").build());
        assertTrue(d.getMessage().contains("telepathy") && d.getMessage().contains("equivocation"), d.getMessage());
    }

    @Test
    void peersMustBeOtherClustersAndWeightsAreValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> valid().peer(NodeId.of("a", "other"), ANY).build());
        assertTrue(e.getMessage().startsWith("peers of a/gw must be gateways of other clusters"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> valid().weights(-1, Map.of(ClusterId.of("a"), 1L)));
    }
}
