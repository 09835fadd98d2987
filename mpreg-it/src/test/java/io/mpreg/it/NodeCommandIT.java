package io.mpreg.it;

import io.mpreg.tck.Await;
import io.mpreg.api.DeliveryGuarantee;
import io.mpreg.api.DeliveryOptions;
import io.mpreg.api.DeliveryResult;
import io.mpreg.api.Message;
import io.mpreg.launcher.NodeCommand;
import io.mpreg.launcher.NodeConfig;
import io.mpreg.tck.LoopbackPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mpreg node}: three nodes from configuration files, their metrics over HTTP, and a clean stop on SIGTERM. */
class NodeCommandIT {
    @TempDir
    Path dir;

    private Path config(String name, String text) throws IOException {
        Path f = dir.resolve(name + ".properties");
        Files.writeString(f, text);
        return f;
    }

    private static String get(InetSocketAddress at, String path) throws IOException {
        try (InputStream in = new URL("http://127.0.0.1:" + at.getPort() + path).openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String metrics(NodeCommand node) {
        try {
            return get(node.metrics().address(), "/metrics");
        } catch (IOException e) {
            return e.toString();
        }
    }

    /**
     * The secure way, as an operator would set it up: a CA and one certificate per cluster (mutual TLS 1.3 on the
     * links), vote keys made by {@code mpreg keys}, each node listing every cluster's public key.
     */
    @Test
    void threeNodesFromConfigFilesLinkConsumeAndReportPrometheusText() throws Exception {
        io.mpreg.tck.TestPki pki = io.mpreg.tck.TestPki.create(dir, "it-node");
        Path keys = dir.resolve("keys");
        StringBuilder security = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            assertEquals(0, io.mpreg.launcher.Main.run(List.of("keys", "--cluster", "c" + i, "--out",
                    keys.toString()), new PrintStream(said, true, StandardCharsets.UTF_8), System.err));
            security.append("vote.publicKey.c").append(i).append(" = ").append(keys.resolve("c" + i + ".pub"))
                    .append('\n');
        }
        security.append("tls = true\ntls.trustStore = ").append(pki.trustStore()).append("\ntls.trustStorePassword = ")
                .append(io.mpreg.tck.TestPki.PASSWORD).append("\ntls.keyStorePassword = ")
                .append(io.mpreg.tck.TestPki.PASSWORD).append('\n');
        InetSocketAddress[] at = {LoopbackPorts.next(), LoopbackPorts.next(), LoopbackPorts.next()};
        String peers = "c1/gw@127.0.0.1:" + at[0].getPort() + ", c2/gw@127.0.0.1:" + at[1].getPort()
                + ", c3/gw@127.0.0.1:" + at[2].getPort();
        List<NodeCommand> nodes = new ArrayList<>();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try {
            for (int i = 1; i <= 3; i++) {
                String self = "c" + i + "/gw@127.0.0.1:" + at[i - 1].getPort();
                String others = peers.replace(self + ", ", "").replace(", " + self, "");
                String extra = i == 1 ? "queue.orders = fifo\nqueue.orders.maxReceives = 3\n"
                        : i == 3 ? "consume = ord*\n" : "";
                String own = "vote.privateKey = " + keys.resolve("c" + i + ".key") + "\ntls.keyStore = "
                        + pki.issue("c" + i) + "\n";
                nodes.add(NodeCommand.start(NodeConfig.load(config("c" + i, "federation = it-node\ncluster = c" + i
                        + "\nlisten = 127.0.0.1:" + at[i - 1].getPort() + "\npeers = " + others
                        + "\ntransport = tcp\ngossipInterval = 200ms\nhttp.port = 0\ndata.dir = " + dir.resolve("data-c" + i)
                        + "\n" + extra + security + own)),
                        quiet));
            }
            NodeCommand c1 = nodes.get(0);
            Await.until(PATIENCE, "c1 linked with both and c3 consuming its queue", () -> {
                String m = metrics(c1);
                return m.contains("mpreg_link_up{node=\"c1/gw\",peer=\"c2\"} 1")
                        && m.contains("mpreg_link_up{node=\"c1/gw\",peer=\"c3\"} 1")
                        && m.contains("mpreg_queue_consumers{node=\"c1/gw\",queue=\"orders\"} 1");
            }, () -> metrics(c1));
            Message order = Message.builder("orders").payload("one".getBytes(StandardCharsets.UTF_8))
                    .build(new SplittableRandom(1));
            DeliveryResult r = nodes.get(1).node().send(order, DeliveryOptions.of(DeliveryGuarantee.AT_LEAST_ONCE))
                    .get(30, TimeUnit.SECONDS);
            assertEquals(true, r.success(), r.toString());
            Await.until(PATIENCE, "c3 consumed it and its acknowledgement reached c1", () -> metrics(c1)
                    .contains("mpreg_queue_acked_total{node=\"c1/gw\",queue=\"orders\"} 1"), () -> metrics(c1));
            String text = metrics(c1);
            assertTrue(text.contains("# TYPE mpreg_messages_delivered_total counter\n"
                    + "mpreg_messages_delivered_total{node=\"c1/gw\"} 1\n"), text);
            assertTrue(text.contains("mpreg_queue_depth{node=\"c1/gw\",queue=\"orders\"} 0\n"), text);
            assertTrue(text.contains("# TYPE mpreg_queue_wait_seconds histogram\n"), text);
            assertTrue(text.contains("mpreg_queue_wait_seconds_count{node=\"c1/gw\"} 1\n"), text);
            assertTrue(text.contains("mpreg_queue_wait_seconds_bucket{node=\"c1/gw\",le=\"+Inf\"} 1\n"), text);
            assertTrue(text.contains("mpreg_decision_seconds_bucket{node=\"c1/gw\",le=\"0.000025\"} 0\n"), text);
            assertEquals(List.of(), PrometheusFormat.violations(text), text);
            String sender = metrics(nodes.get(1));
            assertTrue(sender.contains("mpreg_ack_latency_seconds_count{node=\"c2/gw\"} 1\n"), sender);
            assertEquals(List.of(), PrometheusFormat.violations(sender), sender);
        } finally {
            nodes.forEach(NodeCommand::close);
        }
    }

    @Test
    void aNodeProcessStopsCleanlyOnSigterm() throws Exception {
        Path f = config("solo", "federation = it-sigterm\ncluster = solo\nlisten = 127.0.0.1:"
                + LoopbackPorts.next().getPort() + "\ntransport = tcp\nqueue.q = fifo\ninsecure = true\ndata.dir = "
                + dir.resolve("data-solo") + "\n");
        NodeProcess node = NodeProcess.start(f, dir.resolve("solo.out"));
        Process p = node.process();
        java.util.function.Supplier<List<String>> lines = node::lines;
        try {
            Await.until(PATIENCE, "the node started", () -> lines.get().stream().anyMatch(l -> l.startsWith(
                    "mpreg node solo/gw of federation 'it-sigterm' listening on")), lines::get);
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped within 30 s");
            assertEquals(143, p.exitValue(), "128 + SIGTERM: " + lines.get());
            assertTrue(lines.get().contains("mpreg node solo/gw: stopped cleanly"), lines.get().toString());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aBadConfigurationIsRefusedWithExitCode2() throws Exception {
        Path f = config("bad", "federation = x\ncluster = c1\nlisten = nowhere\ninsecure = true\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = io.mpreg.launcher.Main.run(List.of("node", "--config", f.toString()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertEquals("mpreg node: bad configuration:\n" + f + ": 'listen' 'nowhere' is not host:port\n",
                err.toString(StandardCharsets.UTF_8));
    }
}
