package io.mpreg.it;

import io.mpreg.tck.Await;
import io.mpreg.api.ClusterId;
import io.mpreg.api.Digest;
import io.mpreg.api.NodeId;
import io.mpreg.api.RoundId;
import io.mpreg.api.Threshold;
import io.mpreg.api.Verdict;
import io.mpreg.api.Vote;
import io.mpreg.api.spi.PluginOptions;
import io.mpreg.api.spi.fault.FaultDetector;
import io.mpreg.api.spi.transport.PeerState;
import io.mpreg.api.spi.transport.SendStatus;
import io.mpreg.api.spi.transport.Transport;
import io.mpreg.api.spi.transport.TransportConfig;
import io.mpreg.api.spi.transport.TransportProvider;
import io.mpreg.api.spi.weighting.WeightingStrategy;
import io.mpreg.consensus.ConsensusEngine;
import io.mpreg.consensus.Decision;
import io.mpreg.consensus.QuorumPolicy;
import io.mpreg.consensus.RoundSpec;
import io.mpreg.consensus.WeightTable;
import io.mpreg.federation.ProviderRegistry;
import io.mpreg.tck.LoopbackPorts;
import io.mpreg.tck.RecordingReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugins (the consensus module's and both transports) are found as a real client finds them, on the module path (through
 * {@code provides}) and on the class path (through META-INF/services), and work once created.
 */
class PluginDiscoveryIT {

    @Test
    void runsWhereFailsafeSaysItRuns() {
        boolean expectModulePath = Boolean.parseBoolean(System.getProperty("mpreg.it.expectModulePath", "true"));
        assertEquals(expectModulePath, PluginDiscoveryIT.class.getModule().isNamed(),
                "module of the test: " + PluginDiscoveryIT.class.getModule());
        assertEquals(expectModulePath, ConsensusEngine.class.getModule().isNamed());
    }

    @Test
    void bothTransportsAreFoundFromTheModuleGraphOrTheClassPath() {
        ProviderRegistry<TransportProvider> transports = ProviderRegistry.transports();
        assertEquals(List.of(), transports.problems());
        assertEquals(List.of("tcp", "jgroups"), transports.names(), "by priority: tcp 10, jgroups 5");
        assertEquals("tcp", transports.best().name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void aDiscoveredTransportLinksTwoNodes(String name) {
        TransportProvider provider = ProviderRegistry.transports().select(name);
        assertEquals(PluginDiscoveryIT.class.getModule().isNamed(), provider.getClass().getModule().isNamed(),
                "found through provides on the module path, META-INF/services on the class path");
        NodeId a = NodeId.of("disc-a", "gw");
        NodeId b = NodeId.of("disc-b", "gw");
        InetSocketAddress aAddress = LoopbackPorts.next();
        InetSocketAddress bAddress = LoopbackPorts.next();
        RecordingReceiver atB = new RecordingReceiver();
        try (Transport ta = provider.create(TransportConfig.defaults(a, aAddress).withPeers(Map.of(b, bAddress)));
             Transport tb = provider.create(TransportConfig.defaults(b, bAddress).withPeers(Map.of(a, aAddress)))) {
            tb.start(atB);
            ta.start(new RecordingReceiver());
            Await.until(Duration.ofSeconds(20), "linked", () -> ta.peers().get(b) == PeerState.UP, ta::peers);
            assertEquals(SendStatus.ACCEPTED, ta.send(b, new byte[] {9}));
            Await.until(Duration.ofSeconds(20), "frame delivered", () -> atB.frameCount(a) == 1);
        }
    }

    @Test
    void discoveredProvidersDecideARealRound() {
        assertEquals(List.of("reliability", "static"), ProviderRegistry.weightingStrategies().names());
        assertEquals(List.of("equivocation"), ProviderRegistry.faultDetectors().names());
        WeightingStrategy weighting = ProviderRegistry.weightingStrategies().best().create(PluginOptions.NONE);
        FaultDetector detector = ProviderRegistry.faultDetectors().select("equivocation").create(PluginOptions.NONE);

        List<Decision> decisions = new ArrayList<>();
        long[] now = {0};
        ConsensusEngine engine = ConsensusEngine.builder().ticker(() -> now[0]).weighting(weighting)
                .detectors(List.of(detector)).listener(decisions::add).build();
        ClusterId a = ClusterId.of("a");
        ClusterId b = ClusterId.of("b");
        ClusterId x = ClusterId.of("x");
        RoundId round = new RoundId(a, 1);
        Digest digest = Digest.sha256(new byte[] {42});
        engine.open(RoundSpec.of(round, digest, Set.of(a, b, x), WeightTable.equal(a, b, x),
                QuorumPolicy.fraction(Threshold.TWO_THIRDS), Duration.ofSeconds(1)));
        engine.onVote(new Vote(round, x, Verdict.NO, digest));
        engine.onVote(new Vote(round, x, Verdict.YES, digest));
        engine.onVote(new Vote(round, a, Verdict.YES, digest));
        assertTrue(decisions.isEmpty());
        engine.onVote(new Vote(round, b, Verdict.YES, digest));
        assertEquals(1, decisions.size());
        assertTrue(decisions.get(0).committed());
        assertEquals(List.of(a, b), decisions.get(0).acceptedBy());
        assertEquals(1, engine.statistics().byzantineFaultsDetected());
        assertEquals(0, engine.effectiveWeight(x, 1), "the reliability strategy distrusts the equivocator");
    }
}
