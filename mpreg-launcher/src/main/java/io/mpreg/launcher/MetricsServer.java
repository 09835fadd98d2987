package io.mpreg.launcher;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mpreg.federation.FederationNode;
import io.mpreg.api.LatencyBuckets;
import io.mpreg.federation.FederationStatistics;
import io.mpreg.federation.Latencies;
import io.mpreg.federation.queue.QueueStatistics;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A node's HTTP endpoints, on the JDK's built-in HTTP server: {@code /metrics}, its figures as Prometheus text
 * (exposition format 0.0.4: the node's statistics, latency histograms, links and queues, each labelled with the
 * node); {@code /healthz}, 200 while the node serves and 503 with the reasons when it does not ({@link Status.Health});
 * {@code /statusz}, one JSON document of the node's state ({@link Status#document}). GET and HEAD only.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    /** What an endpoint answers: a status code and a text body. */
    private record Answer(int status, String body) {
    }

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Serves {@code node}'s metrics on {@code address} (port 0: any free port). */
    public static MetricsServer start(FederationNode node, InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mpreg-metrics");
            t.setDaemon(true);
            return t;
        });
        MetricsServer metrics = new MetricsServer(server, executor);
        server.createContext("/metrics", exchange -> respond(exchange, "text/plain; version=0.0.4; charset=utf-8",
                () -> new Answer(200, render(node))));
        server.createContext("/healthz", exchange -> respond(exchange, "text/plain; charset=utf-8", () -> {
            Status.Health health = Status.health(node);
            return new Answer(health.serving() ? 200 : 503, health.text());
        }));
        server.createContext("/statusz", exchange -> respond(exchange, "application/json; charset=utf-8",
                () -> new Answer(200, Json.write(Status.document(node)) + "\n")));
        server.setExecutor(executor);
        server.start();
        return metrics;
    }

    /** Where it listens (the real port if asked for 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void respond(HttpExchange exchange, String contentType, java.util.function.Supplier<Answer> answer)
            throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
                exchange.sendResponseHeaders(404, -1); // the JDK's server matches contexts by prefix
                return;
            }
            Answer a = answer.get();
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(a.status(), exchange.getRequestMethod().equals("HEAD") ? -1 : body.length);
            if (!exchange.getRequestMethod().equals("HEAD")) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** The text for {@code node} now. */
    static String render(FederationNode node) {
        FederationStatistics s = node.statistics();
        Text t = new Text("node=\"" + escape(node.id().toString()) + "\"");
        t.counter("mpreg_messages_sent_total", "Messages this node sent.", s.messagesSent());
        t.counter("mpreg_messages_succeeded_total", "Sends whose guarantee was met.", s.messagesSucceeded());
        t.counter("mpreg_messages_failed_total", "Sends that failed.", s.failedFederationAttempts());
        t.counter("mpreg_retries_total", "Retransmissions of unacknowledged messages.", s.retries());
        t.counter("mpreg_acks_received_total", "Acknowledgements received as sender.", s.acksReceived());
        t.counter("mpreg_nacks_received_total", "Refusals received as sender.", s.nacksReceived());
        t.counter("mpreg_messages_delivered_total", "Messages this cluster took into its queues.",
                s.messagesDelivered());
        t.counter("mpreg_duplicates_dropped_total", "Arrivals of a message id already taken.", s.duplicatesDropped());
        t.counter("mpreg_messages_refused_total", "Arrivals refused with a reason.", s.messagesRefused());
        t.counter("mpreg_frames_relayed_total", "Frames passed on towards another cluster.", s.framesRelayed());
        t.counter("mpreg_frames_undecodable_total", "Frames that failed to decode.", s.framesUndecodable());
        t.counter("mpreg_frames_replayed_total", "Frames refused as replays (sequence number already seen).",
                s.framesReplayed());
        t.counter("mpreg_frames_stale_total", "Frames refused as addressed to an earlier incarnation.",
                s.framesStale());
        t.counter("mpreg_plugin_failures_total", "Sends refused because a weighting strategy or fault detector failed.",
                s.pluginFailures());
        io.mpreg.federation.storage.StorageStatistics log = node.storageStatistics();
        t.gauge("mpreg_log_durable", "1 if the node keeps a write-ahead log, 0 if it runs in memory.",
                log.durable() ? 1 : 0);
        t.gauge("mpreg_log_failing", "1 while the log cannot write (sends refused, votes no), else 0.",
                log.failure() == null ? 0 : 1);
        t.counter("mpreg_log_syncs_total", "Group commits: one write and one sync each.", log.syncs());
        t.counter("mpreg_log_synced_bytes_total", "Bytes the group commits wrote.", log.syncedBytes());
        t.counter("mpreg_log_write_failures_total", "Log writes that failed (each retried).", log.writeFailures());
        t.counter("mpreg_log_snapshots_total", "Snapshots of the live state (each lets the log drop old segments).",
                log.snapshots());
        t.counter("mpreg_rounds_committed_total", "Voted rounds this node coordinated that committed.",
                s.roundsCommitted());
        t.counter("mpreg_rounds_aborted_total", "Voted rounds this node coordinated that aborted.", s.roundsAborted());
        t.counter("mpreg_byzantine_faults_total", "Byzantine faults proved in rounds this node coordinated.",
                s.byzantineFaultsDetected());
        t.gauge("mpreg_open_rounds", "Voted rounds open now.", s.openRounds());
        t.gauge("mpreg_rounds_in_doubt", "Voted rounds held as a yes-voter past their deadline, no decision heard.",
                s.roundsInDoubt());
        t.counter("mpreg_forgeries_refused_total", "Frames refused as forged (unproved COMMITs, unsigned ABORTs, ...).",
                s.forgeriesRefused());
        t.counter("mpreg_prepares_refused_total", "PREPAREs of rounds this cluster may have voted in and no longer "
                + "remembers, not voted on.", s.preparesRefused());
        t.counter("mpreg_batch_frames_total", "Frames sent carrying several messages.", s.batchFrames());
        t.counter("mpreg_batched_messages_total", "Messages sent in batch frames.", s.batchedMessages());
        t.counter("mpreg_shared_rounds_total", "Voted rounds coordinated here that decided several messages at once.",
                s.sharedRounds());
        t.counter("mpreg_shared_round_messages_total", "Messages decided in shared rounds.", s.sharedRoundMessages());
        t.counter("mpreg_transport_congested_total", "Times a transport's queue for a peer was full and the peer's "
                + "traffic was parked.", s.transportCongested());
        t.counter("mpreg_sends_refused_kept_full_total", "Sends refused because a peer's parked messages reached "
                + "their bound.", s.sendsRefusedKeptFull());
        t.counter("mpreg_inbound_full_total", "Times a transport thread found the node's loop full and stopped "
                + "reading until it had room.", s.inboundFull());
        Latencies l = node.latencies();
        t.histogram("mpreg_ack_latency_seconds", "Time from a send's first transmission to its acknowledgement.",
                l.ack());
        t.histogram("mpreg_decision_seconds", "Time from opening a voted round this node coordinated to its decision.",
                l.decision());
        t.histogram("mpreg_queue_wait_seconds", "Time from a message becoming visible in a local queue to its first "
                + "hand-over to a consumer.", l.queueWait());
        t.histogram("mpreg_log_sync_seconds", "Time each group commit of the log took to write and sync.",
                l.logSync());
        t.header("mpreg_link_up", "1 if the link to a neighbouring cluster is up (or backlogged), else 0.", "gauge");
        s.links().forEach((peer, state) -> t.sample("mpreg_link_up", "peer=\"" + escape(peer.value()) + "\"",
                state.name().equals("DOWN") ? 0 : 1));
        Map<String, QueueStatistics> queues = node.queueStatistics();
        queue(t, queues, "mpreg_queue_depth", "Messages waiting in a local queue.", "gauge", QueueStatistics::depth);
        queue(t, queues, "mpreg_queue_in_flight", "Messages handed out and not acknowledged.", "gauge",
                QueueStatistics::inFlight);
        queue(t, queues, "mpreg_queue_consumers", "Consumers attached to a local queue.", "gauge",
                QueueStatistics::consumers);
        queue(t, queues, "mpreg_queue_sent_total", "Messages accepted into a local queue.", "counter",
                QueueStatistics::sent);
        queue(t, queues, "mpreg_queue_acked_total", "Messages acknowledged by a consumer.", "counter",
                QueueStatistics::acked);
        queue(t, queues, "mpreg_queue_redelivered_total", "Hand-overs of a message handed out before.", "counter",
                QueueStatistics::redelivered);
        queue(t, queues, "mpreg_queue_dead_lettered_total", "Messages moved to the dead-letter queue.", "counter",
                QueueStatistics::deadLettered);
        queue(t, queues, "mpreg_queue_expired_total", "Messages dropped as expired.", "counter",
                QueueStatistics::expired);
        queue(t, queues, "mpreg_queue_refused_total", "Sends refused because the queue was full.", "counter",
                QueueStatistics::refused);
        return t.toString();
    }

    private static void queue(Text t, Map<String, QueueStatistics> queues, String name, String help, String type,
                              java.util.function.ToLongFunction<QueueStatistics> value) {
        t.header(name, help, type);
        queues.forEach((q, s) -> t.sample(name, "queue=\"" + escape(q) + "\"", value.applyAsLong(s)));
    }

    /** {@code nanos} in seconds, as Prometheus writes numbers (Go's shortest round-trip form is not needed). */
    private static String seconds(long nanos) {
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }

    private static String escape(String label) {
        return label.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Builds the exposition text. */
    private static final class Text {
        private final StringBuilder out = new StringBuilder(4096);
        private final String nodeLabel;

        Text(String nodeLabel) {
            this.nodeLabel = nodeLabel;
        }

        void header(String name, String help, String type) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }

        void counter(String name, String help, long value) {
            header(name, help, "counter");
            sample(name, null, value);
        }

        void gauge(String name, String help, long value) {
            header(name, help, "gauge");
            sample(name, null, value);
        }

        void histogram(String name, String help, LatencyBuckets b) {
            header(name, help, "histogram");
            for (int i = 0; i < b.upperBoundsNanos().size(); i++) {
                sample(name + "_bucket", "le=\"" + seconds(b.upperBoundsNanos().get(i)) + "\"",
                        b.cumulativeCounts().get(i));
            }
            sample(name + "_bucket", "le=\"+Inf\"", b.count());
            out.append(name).append("_sum{").append(nodeLabel).append("} ").append(seconds(b.sumNanos()))
                    .append('\n');
            sample(name + "_count", null, b.count());
        }

        void sample(String name, String labels, double value) {
            out.append(name).append('{').append(nodeLabel);
            if (labels != null) {
                out.append(',').append(labels);
            }
            out.append("} ");
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                out.append((long) value);
            } else {
                out.append(value);
            }
            out.append('\n');
        }

        @Override
        public String toString() {
            return out.toString();
        }
    }
}
