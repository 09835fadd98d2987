package io.mpreg.it;

import io.mpreg.api.ClusterId;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.api.NodeId;
import io.mpreg.federation.FederationNode;
import io.mpreg.tck.Await;
import io.mpreg.tck.LoopbackPorts;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SCENARIOS D1 (and D2's clean stop) with real processes: c2 is an {@code mpreg node} process holding queue "orders"
 * in its data directory; c1, in this JVM, sends 1,000 AT_LEAST_ONCE messages to it. After 300 are acknowledged c2 is
 * killed with SIGKILL (or stopped with SIGTERM) and started again from the same data directory, now also consuming
 * the queue (each message logged before it is acknowledged). Judged as Jepsen would: every message whose send
 * succeeded appears in c2's output (once or more), and nothing appears that was not sent.
 *
 * <p>The same with GLOBAL_QUORUM (SCENARIOS D6 with a real crash): every round needs the yes votes of c1 and c2, so
 * a round committed while c2 dies was voted for by c2 and must be delivered by its next incarnation, from the
 * message its log held for the vote; and no round that c1 reported failed is delivered. Each commit's
 * {@code committedTo} (its certificate's clusters) is {c1, c2}, and both deliver it: c2's subscriber logs it, c1's
 * queue stores it, once.
 */
class ProcessKillIT {
    private static final int MESSAGES = 1_000;
    private static final int KILL_AFTER = 300;
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ClusterId C2 = ClusterId.of("c2");
    private static final Pattern RECEIVED = Pattern.compile("received \\S+ from c1 via c2's queue 'orders': (m\\d+)");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @CsvSource({"tcp, kill, AT_LEAST_ONCE", "tcp, stop, AT_LEAST_ONCE", "jgroups, kill, AT_LEAST_ONCE",
        "jgroups, stop, AT_LEAST_ONCE", "tcp, kill, GLOBAL_QUORUM", "jgroups, kill, GLOBAL_QUORUM"})
    void everyAcknowledgedMessageReachesTheSubscriberAcrossARestart(String transport, String how,
                                                                   DeliveryGuarantee guarantee) throws Exception {
        boolean voted = guarantee == DeliveryGuarantee.GLOBAL_QUORUM;
        InetSocketAddress c1At = LoopbackPorts.next();
        InetSocketAddress c2At = LoopbackPorts.next();
        String common = "federation = kill-" + transport + "\ncluster = c2\nlisten = 127.0.0.1:" + c2At.getPort()
                + "\npeers = c1/gw@127.0.0.1:" + c1At.getPort() + "\ntransport = " + transport
                + "\ninsecure = true\nweights = c1:1, c2:1\ngossipInterval = 200ms\nqueue.orders = fifo\n"
                + "data.dir = " + dir.resolve("c2-data") + "\n";
        // the first incarnation only stores (the acknowledged messages are all in its queue when it dies); the
        // second also consumes
        Path storing = Files.writeString(dir.resolve("c2-storing.properties"), common);
        Path config = Files.writeString(dir.resolve("c2.properties"), common
                + "consume = orders\nconsume.scope = local\n");
        List<NodeProcess> incarnations = new ArrayList<>();
        incarnations.add(NodeProcess.start(storing, dir.resolve("c2-1.out")));
        FederationNode c1 = FederationNode.builder().federation("kill-" + transport).node(NodeId.of("c1", "gw"))
                .listen(c1At).transport(transport).insecure(true).jmx(false)
                .weights(1, Map.of(ClusterId.of("c1"), 1L, ClusterId.of("c2"), 1L))
                .gossipInterval(Duration.ofMillis(200)).peer(NodeId.of("c2", "gw"), c2At).build().start();
        if (voted) {
            c1.createQueue(io.mpreg.federation.queue.QueueConfig.fifo("orders")); // c1 votes too
        }
        try {
            Await.until(PATIENCE, "c1 sees c2's queue", () -> !c1.discoverQueues("orders").isEmpty(),
                    () -> incarnations.get(0).lines());
            Set<String> acknowledged = new ConcurrentSkipListSet<>();
            Set<String> sent = new ConcurrentSkipListSet<>();
            Set<String> failed = new ConcurrentSkipListSet<>();
            Set<Set<ClusterId>> committedTo = java.util.concurrent.ConcurrentHashMap.newKeySet();
            Semaphore window = new Semaphore(32);
            List<CompletableFuture<DeliveryResult>> sends = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(1);
            // to c2 by name: while it is down its queue's advertisement may lapse, and the sends retry until it is back
            DeliveryOptions options = voted
                    ? DeliveryOptions.of(guarantee).withTargets(ClusterId.of("c1"), ClusterId.of("c2"))
                            .withThreshold(io.mpreg.api.Threshold.of(1, 1)).withTimeout(Duration.ofSeconds(10))
                    : DeliveryOptions.of(guarantee).withTargets(ClusterId.of("c2")).withTimeout(Duration.ofSeconds(45));
            for (int i = 0; i < MESSAGES; i++) {
                if (i == KILL_AFTER + 32) {
                    Await.until(PATIENCE, KILL_AFTER + " acknowledged", () -> acknowledged.size() >= KILL_AFTER);
                    NodeProcess first = incarnations.get(0);
                    if (how.equals("kill")) {
                        first.kill();
                    } else {
                        first.process().destroy(); // SIGTERM: a clean stop
                        assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
                        assertTrue(first.lines().contains("mpreg node c2/gw: stopped cleanly"), String.join("\n",
                                first.lines()));
                    }
                    if (voted) { // a round needs c2: the later ones wait for it to be back, not fail while it is down
                        Await.until(PATIENCE, "c1 sees c2 gone", () -> !c1.reachableClusters().contains(C2));
                    }
                    incarnations.add(NodeProcess.start(config, dir.resolve("c2-2.out")));
                    if (voted) {
                        Await.until(PATIENCE, "c1 reaches c2 again", () -> c1.reachableClusters().contains(C2),
                                () -> incarnations.get(1).lines());
                    }
                }
                window.acquire();
                String text = "m" + i;
                sent.add(text);
                Message m = Message.builder("orders").payload(text.getBytes(StandardCharsets.UTF_8)).build(random);
                sends.add(c1.send(m, options).whenComplete((r, e) -> {
                    window.release();
                    if (r != null && r.success()) {
                        acknowledged.add(text);
                        committedTo.add(r.committedTo());
                    } else if (r != null) {
                        failed.add(text);
                    }
                }));
            }
            CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).handle((r, e) -> null)
                    .get(120, TimeUnit.SECONDS); // a send that failed is simply not acknowledged
            assertTrue(acknowledged.size() > KILL_AFTER, "acknowledged " + acknowledged.size());
            Await.until(PATIENCE, "every acknowledged message logged by c2's subscriber", () -> {
                Set<String> missing = new TreeSet<>(acknowledged);
                missing.removeAll(received(incarnations));
                return missing.isEmpty();
            }, () -> {
                Set<String> missing = new TreeSet<>(acknowledged);
                missing.removeAll(received(incarnations));
                return missing.size() + " missing, first " + missing.stream().limit(10).toList();
            });
            Set<String> unsent = new TreeSet<>(received(incarnations));
            unsent.removeAll(sent);
            assertEquals(Set.of(), unsent, "delivered but never sent");
            if (voted) {
                Set<String> uncommitted = new TreeSet<>(received(incarnations));
                uncommitted.retainAll(failed);
                assertEquals(Set.of(), uncommitted, "delivered, but its round failed");
                assertEquals(Set.of(Set.of(ClusterId.of("c1"), C2)), committedTo, "every commit's certificate");
                Await.until(PATIENCE, "c1 stored each committed message once", () -> c1.queueStatistics()
                        .get("orders").depth() == acknowledged.size(), () -> c1.queueStatistics().get("orders")
                        + " for " + acknowledged.size() + " committed");
            }
        } finally {
            c1.close();
            incarnations.forEach(NodeProcess::close);
        }
    }

    private static Set<String> received(List<NodeProcess> incarnations) {
        Set<String> out = new TreeSet<>();
        for (NodeProcess p : incarnations) {
            for (String line : p.lines()) {
                Matcher m = RECEIVED.matcher(line);
                if (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }
}
