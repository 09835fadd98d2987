package io.mpreg.it;

import io.mpreg.tck.Await;
import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.NodeId;
import io.mpreg.federation.Delivery;
import io.mpreg.federation.FederationNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCENARIOS F3 live: cluster x is a twin, two honest nodes sharing its id. x/a reaches only c1 and has the queue;
 * x/b reaches c2 and c3 and does not. PREPAREs travel over two routes, so each twin gets one and votes what it
 * honestly sees (yes and no), and both votes reach the coordinator: x equivocates naturally. It is caught in every
 * round, by the coordinator, with both votes as evidence; no honest cluster is ever flagged (PREPAREs and votes
 * arrive twice on purpose); the rounds commit on the honest weight.
 */
class ByzantineTwinIT {
    @org.junit.jupiter.api.io.TempDir
    Path dir;

    private static final ClusterId C1 = ClusterId.of("c1");
    private static final ClusterId C2 = ClusterId.of("c2");
    private static final ClusterId C3 = ClusterId.of("c3");
    private static final ClusterId X = ClusterId.of("x");

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void f3TheTwinIsCaughtInEveryRoundAndHonestClustersNever(String transport) throws Exception {
        NodeId xa = NodeId.of("x", "a");
        NodeId xb = NodeId.of("x", "b");
        List<NodeId> ids = List.of(NodeId.of("c1", "gw"), NodeId.of("c2", "gw"), NodeId.of("c3", "gw"), xa, xb);
        try (LiveFederation f = new LiveFederation(transport, ids, (id, b) -> b)) {
            f.gate.cut(xa, f.id(2)); // shape the twin before anyone says hello
            f.gate.cut(xa, f.id(3));
            f.gate.cut(xb, f.id(1));
            f.start();
            Set<ClusterId> all = new TreeSet<>(Set.of(C1, C2, C3, X));
            for (FederationNode n : f.nodes) {
                Await.until(PATIENCE, n.id() + " reaches every cluster", () -> n.reachableClusters().equals(all),
                        n::reachableClusters);
            }
            FederationNode c1 = f.node(1);
            Await.until(PATIENCE, "c1 sees both halves of x: directly and through c2 and c3",
                    () -> c1.routes().getOrDefault(X, List.of()).equals(List.of(X, C2, C3)), c1::routes);
            List<List<Delivery>> honest = List.of(f.subscribe(1, "orders"), f.subscribe(2, "orders"),
                    f.subscribe(3, "orders"));
            f.subscribe(4, "orders"); // x/a has the queue; x/b (node 5) has not
            SplittableRandom random = new SplittableRandom(3);
            DeliveryOptions options = DeliveryOptions.of(DeliveryGuarantee.GLOBAL_QUORUM)
                    .withTargets(C1, C2, C3, X).withRedundancy(2);
            int rounds = 3;
            int[] committed = new int[3];
            for (int i = 0; i < rounds; i++) {
                Message m = Message.builder("orders").payload(("m" + i).getBytes(StandardCharsets.UTF_8)).build(random);
                DeliveryResult r = f.node(1).send(m, options).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertTrue(r.success(), "round " + i + " commits on honest weight: " + r);
                // (the coordinator votes for itself, but its signed vote may come after the others made the quorum)
                assertEquals(java.util.Optional.empty(), r.certificate().verify(LiveFederation.publicVoteKeys(
                        List.of(C1, C2, C3, X))), "the certificate checks with the clusters' keys");
                for (int c = 0; c < 3; c++) {
                    committed[c] += r.committedTo().contains(List.of(C1, C2, C3).get(c)) ? 1 : 0;
                }
                int round = i;
                Await.until(PATIENCE, "x caught in round " + i,
                        () -> f.node(1).statistics().faultsBySuspect().getOrDefault(X, 0L) == round + 1,
                        () -> f.node(1).statistics());
            }
            assertEquals(Map.of(X, (long) rounds), f.node(1).statistics().faultsBySuspect(),
                    "only the twin, never an honest cluster");
            assertEquals(rounds, f.node(1).statistics().byzantineFaultsDetected());
            assertEquals(io.mpreg.federation.FederationStatistics.Health.CRITICAL, f.node(1).statistics().health(),
                    "any Byzantine fault is critical for operators");
            for (int c = 0; c < 3; c++) {
                List<Delivery> got = honest.get(c);
                int expected = committed[c];
                Await.until(PATIENCE, "each honest cluster delivers each message committed to it once",
                        () -> got.size() == expected);
            }
            for (int i = 2; i <= 3; i++) {
                assertEquals(Map.of(), f.node(i).statistics().faultsBySuspect(), "c" + i + " coordinated nothing");
            }
            proofsConvinceAThirdParty(f.node(1).equivocationEvidence(), rounds);
        }
    }

    /**
     * Each round left transferable proof: two votes signed with x's key that a third party checks with x's public key
     * alone, through the API and through {@code mpreg verify-evidence}; an edited proof or another key convinces
     * nobody.
     */
    private void proofsConvinceAThirdParty(List<io.mpreg.api.SignedEquivocation> proofs, int rounds)
            throws java.io.IOException {
        assertEquals(rounds, proofs.size(), proofs.toString());
        java.security.PublicKey xKey = LiveFederation.voteKey(X).getPublic();
        for (io.mpreg.api.SignedEquivocation proof : proofs) {
            assertEquals(X, proof.accused());
            assertTrue(proof.verify(xKey), proof.toString());
            assertTrue(!proof.verify(LiveFederation.voteKey(C2).getPublic()), "another cluster's key proves nothing");
        }
        Path key = dir.resolve("x.pub");
        Files.writeString(key, io.mpreg.api.VoteKeys.pem(xKey));
        Path file = dir.resolve("x.evidence");
        Files.writeString(file, proofs.get(0).toText());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertEquals(0, verify(file, key, out), out.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("PROVEN: x equivocated in round "), out.toString());
        Path edited = dir.resolve("edited.evidence");
        Files.writeString(edited, proofs.get(0).toText().replace("first.tableVersion=1", "first.tableVersion=2"));
        assertEquals(1, verify(edited, key, new java.io.ByteArrayOutputStream()), "an edited proof");
    }

    private static int verify(Path evidence, Path key, java.io.ByteArrayOutputStream out) {
        return io.mpreg.launcher.Main.run(List.of("verify-evidence", "--evidence", evidence.toString(),
                "--key", key.toString()), new java.io.PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    }
}
