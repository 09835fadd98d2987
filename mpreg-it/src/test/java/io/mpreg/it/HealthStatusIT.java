package io.mpreg.it;

import io.mpreg.launcher.NodeCommand;
import io.mpreg.launcher.NodeConfig;
import io.mpreg.tck.Await;
import io.mpreg.tck.LoopbackPorts;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.mpreg.it.LiveFederation.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node's {@code /healthz} and {@code /statusz} and {@code mpreg status}, on three {@code mpreg node}s over each
 * transport: 200 while linked, 503 with the reason once every peer is gone, 200 again when one returns; the status
 * document and its tables show the links, routes, weights and queues.
 */
class HealthStatusIT {
    @TempDir
    Path dir;

    private record Answer(int status, String body) {
    }

    private static Answer get(NodeCommand node, String path, String method) {
        InetSocketAddress at = node.metrics().address();
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + at.getPort() + path).toURL()
                    .openConnection();
            c.setRequestMethod(method);
            int status = c.getResponseCode();
            InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            c.disconnect();
            return new Answer(status, body);
        } catch (IOException e) {
            return new Answer(-1, e.toString());
        }
    }

    private NodeCommand start(String transport, int i, InetSocketAddress[] at) throws Exception {
        StringBuilder peers = new StringBuilder();
        for (int j = 1; j <= 3; j++) {
            if (j != i) {
                peers.append(peers.length() == 0 ? "" : ", ").append("c").append(j).append("/gw@127.0.0.1:")
                        .append(at[j - 1].getPort());
            }
        }
        Path file = dir.resolve("c" + i + ".properties");
        Files.writeString(file, "federation = it-health-" + transport + "\ncluster = c" + i + "\nlisten = 127.0.0.1:"
                + at[i - 1].getPort() + "\npeers = " + peers + "\ntransport = " + transport
                + "\ninsecure = true\ngossipInterval = 200ms\nhttp.port = 0\ndata.dir = memory\n"
                + (i == 1 ? "queue.orders = fifo\n" : ""));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return NodeCommand.start(NodeConfig.load(file), quiet);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "jgroups"})
    void healthFollowsTheLinksAndStatusShowsTheNode(String transport) throws Exception {
        InetSocketAddress[] at = {LoopbackPorts.next(), LoopbackPorts.next(), LoopbackPorts.next()};
        List<NodeCommand> nodes = new ArrayList<>();
        NodeCommand c2 = null;
        try {
            NodeCommand c1 = start(transport, 1, at);
            nodes.add(c1);
            c2 = start(transport, 2, at);
            nodes.add(start(transport, 3, at));
            Await.until(PATIENCE, "c1 serving, linked with c2 and c3", () -> {
                Answer h = get(c1, "/healthz", "GET");
                return h.status() == 200 && h.body().startsWith("serving\n")
                        && get(c1, "/statusz", "GET").body().contains("{\"cluster\":\"c3\",\"state\":\"UP\"}")
                        && get(c1, "/statusz", "GET").body().contains("{\"cluster\":\"c2\",\"state\":\"UP\"}");
            }, () -> get(c1, "/healthz", "GET") + " " + get(c1, "/statusz", "GET"));
            assertTrue(get(c1, "/healthz", "GET").body().contains("health: HEALTHY\n"));
            String url = "http://127.0.0.1:" + c1.metrics().address().getPort();

            LauncherRun json = LauncherRun.of("status", url, "--json");
            assertEquals(0, json.code(), json.err());
            assertTrue(json.out().startsWith("{\"node\":{\"node\":\"c1/gw\",\"cluster\":\"c1\",\"federation\":"
                    + "\"it-health-" + transport + "\",\"transport\":\"" + transport + "\""), json.out());
            assertTrue(json.out().contains("\"health\":{\"serving\":true,\"problems\":[],\"level\":\"HEALTHY\""),
                    json.out());
            assertTrue(json.out().contains("\"peers\":[\"c2/gw\",\"c3/gw\"]"), json.out());
            assertTrue(json.out().contains("{\"name\":\"orders\",\"depth\":0,\"inFlight\":0,\"consumers\":0"),
                    json.out());
            assertTrue(json.out().contains("\"weights\":{\"version\":1,"), json.out());
            assertTrue(json.out().contains("\"log\":{\"durable\":false,\"location\":\"memory\""), json.out());

            LauncherRun tables = LauncherRun.of("status", url + "/statusz");
            assertEquals(0, tables.code(), tables.err());
            assertTrue(tables.out().contains("LINKS\n  cluster  state\n  c2       UP\n  c3       UP\n"), tables.out());
            assertTrue(tables.out().contains("QUEUES\n  name    depth  inFlight  consumers  sent  acked  deadLettered\n"
                    + "  orders  0      0         0          0     0      0\n"), tables.out());
            assertTrue(tables.out().contains("HEALTH\n  serving   true\n  problems  (none)\n  level     HEALTHY\n"),
                    tables.out());

            assertEquals(404, get(c1, "/healthz/more", "GET").status());
            assertEquals(405, get(c1, "/statusz", "POST").status());
            assertEquals(2, LauncherRun.of("status").code());
            assertEquals(2, LauncherRun.of("status", "not a url").code());

            c2.close();
            c2 = null;
            nodes.remove(1).close();
            Await.until(PATIENCE, "c1 not serving once both peers are gone", () -> {
                Answer h = get(c1, "/healthz", "GET");
                return h.status() == 503 && h.body().startsWith("not serving\nproblem: no link up to any of its 2 "
                        + "configured peer(s) [c2/gw, c3/gw]\n");
            }, () -> get(c1, "/healthz", "GET"));
            LauncherRun down = LauncherRun.of("status", url);
            assertEquals(1, down.code(), down.out());
            assertTrue(down.out().contains("serving   false"), down.out());

            c2 = start(transport, 2, at);
            Await.until(PATIENCE, "c1 serving again once c2 is back", () -> get(c1, "/healthz", "GET").status()
                    == 200, () -> get(c1, "/healthz", "GET"));
        } finally {
            if (c2 != null) {
                c2.close();
            }
            nodes.forEach(NodeCommand::close);
        }
    }
}
