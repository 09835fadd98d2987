package io.mpreg.launcher;

import io.mpreg.api.ClusterId;
import io.mpreg.api.SignedEquivocation;
import io.mpreg.api.Vote;
import io.mpreg.api.VoteKeys;
import io.mpreg.api.spi.PluginOptions;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.FederationNodeBuilder;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.SubscribeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code mpreg node --config FILE}: one node of a real federation, running until stopped (SIGTERM or SIGINT close it
 * cleanly: the metrics server, then the node, whose in-flight sends fail with CANCELLED).
 */
public final class NodeCommand implements AutoCloseable {
    static final String USAGE = """
            usage: mpreg node --config FILE

            Runs one node of a federation, described by a properties file (see config/c1.properties):
              federation, cluster, node (default gw), listen = host:port,
              peers = cluster/node@host:port, ...    the gateways to link with
              transport = NAME                        tcp, jgroups or a plugin on MPREG_PLUGIN_PATH (default: the best)
              weights = c1:1, c2:1, ...  weights.version = 1
              gossipInterval = 1s   defaultTimeout = 30s
              http.port = 9101  http.address = 127.0.0.1   /metrics (Prometheus), /healthz, /statusz
              consume = PATTERN                      log and acknowledge every message of the matching queues
              consume.scope = federation|local        anywhere in the federation (default) or this cluster's only
              queue.NAME = fifo|priority  queue.NAME.capacity|visibilityTimeout|maxReceives|deadLetterQueue|
                                          dedupWindow|defaultDelay|messageTtl = ...
              tls = true  tls.keyStore = ...  (tls.*, tcp.*, jgroups.*, TRANSPORT.* go to the transport plugin)
              vote.privateKey = FILE  vote.publicKey.CLUSTER = FILE   Ed25519 vote keys (PEM; mpreg keys)
              evidence.dir = DIR                     write each proof of equivocation found there
              data.dir = DIR                         the node's write-ahead log (default data/CLUSTER-NODE;
                                                     memory: keep nothing); refused if another node holds it
              insecure = true                        allow plaintext links and unsigned votes (else refused)
            Stops cleanly on SIGTERM or Ctrl-C. Logs through Log4j 2 (config/log4j2.xml).
            Exit codes: 0 stopped, 1 failed to start, 2 bad command line or configuration.""";

    private static final Logger LOG = LoggerFactory.getLogger(NodeCommand.class);

    private final FederationNode node;
    private final MetricsServer metrics;
    private ScheduledExecutorService evidenceWriter;

    private NodeCommand(FederationNode node, MetricsServer metrics) {
        this.node = node;
        this.metrics = metrics;
    }

    /** Builds and starts the node {@code config} describes, its queues, its consumer and its metrics endpoint. */
    public static NodeCommand start(NodeConfig config, PrintStream out) throws IOException {
        FederationNodeBuilder b = FederationNode.builder().federation(config.federation()).node(config.node())
                .listen(config.listen()).weights(config.weightsVersion(), config.weights())
                .gossipInterval(config.gossipInterval())
                .transportOptions(new PluginOptions(config.transportOptions()));
        config.peers().forEach(b::peer);
        b.insecure(config.insecure());
        if (config.votePrivateKey() != null) {
            Map<ClusterId, java.security.PublicKey> keys = new TreeMap<>();
            config.votePublicKeys().forEach((c, f) -> keys.put(c, VoteKeys.readPublicKey(f)));
            b.voteKeys(VoteKeys.readPrivateKey(config.votePrivateKey()), keys);
        }
        if (config.transport() != null) {
            b.transport(config.transport());
        }
        if (config.defaultTimeout() != null) {
            b.defaultTimeout(config.defaultTimeout());
        }
        config.queues().forEach(b::queue); // created before the node links, so no retry finds them missing
        if (config.dataDir() != null) {
            b.dataDirectory(config.dataDir());
        }
        FederationNode node = b.build().start();
        MetricsServer metrics = null;
        try {
            if (config.consume() != null) {
                node.subscribe(config.consume(), SubscribeOptions.automaticAcks().withLocalOnly(config.consumeLocal()),
                        d -> LOG.info("received {} from {} via {}'s queue '{}': {}",
                        d.message().id(), d.origin(), d.queueCluster(), d.message().queue(),
                        new String(d.message().payload(), StandardCharsets.UTF_8)));
            }
            if (config.httpAddress() != null) {
                metrics = MetricsServer.start(node, config.httpAddress());
            }
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
        out.printf("mpreg node %s of federation '%s' listening on %s; peers %s; queues %s; state in %s%s%n",
                node.id(), node.federation(), node.boundAddress(), config.peers().keySet(),
                config.queues().stream().map(QueueConfig::name).toList(), node.storageStatistics().location(),
                metrics == null ? "" : "; metrics at http://" + metrics.address().getHostString() + ":"
                        + metrics.address().getPort() + "/metrics");
        NodeCommand command = new NodeCommand(node, metrics);
        if (config.evidenceDir() != null) {
            command.writeEvidence(config.evidenceDir());
        }
        return command;
    }

    /** Writes each proof of equivocation the node finds into {@code dir}, one file each, checked every second. */
    private void writeEvidence(Path dir) throws IOException {
        Files.createDirectories(dir);
        evidenceWriter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mpreg-evidence");
            t.setDaemon(true);
            return t;
        });
        Set<SignedEquivocation> written = new HashSet<>();
        evidenceWriter.scheduleWithFixedDelay(() -> {
            try {
                for (SignedEquivocation e : node.equivocationEvidence()) {
                    if (written.add(e)) {
                        Vote v = e.first().vote();
                        Path file = dir.resolve(v.voter() + "-round-" + v.round().coordinator() + "-"
                                + Long.toUnsignedString(v.round().sequence()) + ".evidence");
                        Files.writeString(file, e.toText(), StandardCharsets.UTF_8);
                        LOG.warn("{} equivocated in round {}: proof written to {}", v.voter(), v.round(), file);
                    }
                }
            } catch (IOException | RuntimeException ex) {
                LOG.error("cannot write equivocation evidence to {}: {}", dir, ex.toString());
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    public FederationNode node() {
        return node;
    }

    /** The metrics endpoint, or null if the configuration has no http.port. */
    public MetricsServer metrics() {
        return metrics;
    }

    @Override
    public void close() {
        if (evidenceWriter != null) {
            evidenceWriter.shutdownNow();
        }
        if (metrics != null) {
            metrics.close();
        }
        node.close();
    }

    /** Runs {@code mpreg node} until the JVM is asked to stop; returns the exit code. */
    static int run(java.util.List<String> args, PrintStream out, PrintStream err) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(USAGE);
            return 0;
        }
        if (args.size() != 2 || !args.get(0).equals("--config")) {
            err.println("mpreg node: expected --config FILE, got " + args + " (see mpreg node --help)");
            return 2;
        }
        NodeConfig config;
        try {
            config = NodeConfig.load(java.nio.file.Path.of(args.get(1)));
        } catch (NodeConfig.ConfigException e) {
            err.println("mpreg node: bad configuration:\n" + e.getMessage());
            return 2;
        }
        // the hook is in place before the node starts: a SIGTERM while it starts (it may already be serving, its
        // links up) waits for the start to finish and then closes it cleanly
        java.util.concurrent.CompletableFuture<NodeCommand> started = new java.util.concurrent.CompletableFuture<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            NodeCommand running;
            try {
                running = started.join();
            } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
                return; // it did not start: nothing to close
            }
            out.println("mpreg node " + running.node().id() + ": stopping");
            running.close();
            out.println("mpreg node " + running.node().id() + ": stopped cleanly");
            out.flush();
            stopped.countDown();
        }, "mpreg-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            started.complete(start(config, out));
        } catch (IOException | RuntimeException e) {
            started.completeExceptionally(e);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException exiting) {
                // the JVM is exiting already; the hook returns at once
            }
            err.println("mpreg node: failed to start: " + e);
            return 1;
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
