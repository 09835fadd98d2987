package io.mpreg.launcher;

import io.mpreg.api.ClusterId;
import io.mpreg.api.NodeId;
import io.mpreg.federation.FederationNode;
import io.mpreg.federation.FederationStatistics;
import io.mpreg.federation.LinkStatus;
import io.mpreg.federation.WeightProposal;
import io.mpreg.federation.queue.QueueStatistics;
import io.mpreg.federation.storage.StorageStatistics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.stream.Collectors;

/**
 * A node's health for {@code /healthz} and its status for {@code /statusz} and {@code mpreg status}: one JSON
 * document, and the same document as tables for a person.
 */
final class Status {
    private Status() {
    }

    /**
     * Whether the node serves, and its health.
     *
     * @param serving  running, its state recovered, its log writable, and linked with at least one peer (or configured
     *                 with none)
     * @param problems why it does not serve (empty when it does)
     * @param level    the operator guide's level (HEALTHY, WARNING, CRITICAL)
     * @param alerts   why the level is not HEALTHY
     */
    record Health(boolean serving, List<String> problems, FederationStatistics.Health level, List<String> alerts) {

        /** The body of {@code /healthz}: a first line to match on, then the level and every reason. */
        String text() {
            StringBuilder out = new StringBuilder(serving ? "serving\n" : "not serving\n");
            problems.forEach(p -> out.append("problem: ").append(p).append('\n'));
            out.append("health: ").append(level).append('\n');
            alerts.forEach(a -> out.append(a).append('\n'));
            return out.toString();
        }
    }

    static Health health(FederationNode node) {
        return health(node, node.statistics(), node.storageStatistics());
    }

    private static Health health(FederationNode node, FederationStatistics s, StorageStatistics log) {
        List<String> problems = new ArrayList<>();
        if (!node.isRunning()) {
            problems.add("the node is not running");
        }
        if (log.failure() != null) {
            problems.add("its log cannot write: " + log.failure());
        }
        SortedSet<NodeId> peers = node.configuredPeers();
        if (node.isRunning() && !peers.isEmpty() && s.links().values().stream().allMatch(l -> l == LinkStatus.DOWN)) {
            problems.add("no link up to any of its " + peers.size() + " configured peer(s) " + peers);
        }
        return new Health(problems.isEmpty(), problems, s.health(), s.healthReasons());
    }

    /** The status document of {@code node} now. */
    static Map<String, Object> document(FederationNode node) {
        FederationStatistics s = node.statistics();
        StorageStatistics log = node.storageStatistics();
        Health h = health(node, s, log);
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("node", node.id().toString());
        id.put("cluster", node.cluster().value());
        id.put("federation", node.federation());
        id.put("transport", node.transportName());
        java.net.InetSocketAddress address = node.boundAddress();
        id.put("address", address == null ? null : address.getHostString() + ":" + address.getPort());
        Instant started = node.startedAt();
        id.put("startedAt", started == null ? null : started.toString());
        id.put("uptimeSeconds", started == null ? 0 : Duration.between(started, Instant.now()).toSeconds());
        doc.put("node", id);

        Map<String, Object> health = new LinkedHashMap<>();
        health.put("serving", h.serving());
        health.put("problems", h.problems());
        health.put("level", h.level().name());
        health.put("alerts", h.alerts());
        doc.put("health", health);

        doc.put("peers", node.configuredPeers().stream().map(NodeId::toString).toList());
        List<Object> links = new ArrayList<>();
        s.links().forEach((c, state) -> links.add(row("cluster", c.value(), "state", state.name())));
        doc.put("links", links);
        List<Object> routes = new ArrayList<>();
        if (node.isRunning()) {
            node.routes().forEach((c, path) -> routes.add(row("cluster", c.value(), "firstHops",
                    path.stream().map(ClusterId::value).collect(Collectors.joining(", ")))));
        }
        doc.put("routes", routes);

        Map<String, Object> weights = new LinkedHashMap<>();
        weights.put("version", node.isRunning() ? node.weightTableVersion() : null);
        List<Object> agreement = new ArrayList<>();
        List<Object> proposals = new ArrayList<>();
        if (node.isRunning()) {
            node.weightTableAgreement().forEach((n, agrees) -> agreement.add(row("node", n.toString(), "agrees",
                    agrees)));
            for (WeightProposal p : node.weightProposals()) {
                proposals.add(row("version", p.version(), "proposer", p.proposer().value(), "approvedBy",
                        p.approvedBy().stream().map(ClusterId::value).collect(Collectors.joining(","))));
            }
        }
        weights.put("agreement", agreement);
        weights.put("proposals", proposals);
        doc.put("weights", weights);

        List<Object> queues = new ArrayList<>();
        if (node.isRunning()) {
            for (QueueStatistics q : node.queueStatistics().values()) {
                queues.add(row("name", q.name(), "depth", q.depth(), "inFlight", q.inFlight(), "consumers",
                        q.consumers(), "sent", q.sent(), "acked", q.acked(), "deadLettered", q.deadLettered()));
            }
        }
        doc.put("queues", queues);

        Map<String, Object> rounds = new LinkedHashMap<>();
        rounds.put("open", s.openRounds());
        rounds.put("inDoubt", s.roundsInDoubt());
        rounds.put("committed", s.roundsCommitted());
        rounds.put("aborted", s.roundsAborted());
        rounds.put("refused", s.roundsRefused());
        doc.put("rounds", rounds);

        Map<String, Object> faults = new LinkedHashMap<>();
        faults.put("detected", s.byzantineFaultsDetected());
        Map<String, Object> bySuspect = new LinkedHashMap<>();
        s.faultsBySuspect().forEach((c, n) -> bySuspect.put(c.value(), n));
        faults.put("bySuspect", bySuspect);
        faults.put("evidence", node.isRunning() ? node.equivocationEvidence().size() : 0);
        doc.put("faults", faults);

        Map<String, Object> refusals = new LinkedHashMap<>();
        refusals.put("forgeries", s.forgeriesRefused());
        refusals.put("prepares", s.preparesRefused());
        refusals.put("messages", s.messagesRefused());
        refusals.put("votes", s.votesRejected());
        refusals.put("framesUndecodable", s.framesUndecodable());
        refusals.put("framesReplayed", s.framesReplayed());
        refusals.put("framesStale", s.framesStale());
        doc.put("refusals", refusals);

        Map<String, Object> storage = new LinkedHashMap<>();
        storage.put("durable", log.durable());
        storage.put("location", log.location());
        storage.put("syncs", log.syncs());
        storage.put("failure", log.failure());
        doc.put("log", storage);
        return doc;
    }

    private static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    /**
     * A status document (as {@link Json#parse} reads it) for a person: each section under its name, a table for a
     * list of rows (one column per key), {@code key  value} lines for the rest.
     */
    static String render(Map<String, Object> doc) {
        StringBuilder out = new StringBuilder();
        doc.forEach((section, value) -> {
            out.append(section.toUpperCase(java.util.Locale.ROOT)).append('\n');
            section(out, "  ", value);
            out.append('\n');
        });
        return out.toString();
    }

    private static void section(StringBuilder out, String indent, Object value) {
        if (value instanceof Map<?, ?> map && map.isEmpty()) {
            out.append(indent).append("(none)\n");
        } else if (value instanceof Map<?, ?> map) {
            int width = map.keySet().stream().mapToInt(k -> k.toString().length()).max().orElse(0);
            map.forEach((k, v) -> {
                if (v instanceof Map<?, ?> || (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map)) {
                    out.append(indent).append(k).append('\n');
                    section(out, indent + "  ", v);
                } else {
                    out.append(indent).append(pad(k.toString(), width)).append("  ").append(scalar(v)).append('\n');
                }
            });
        } else if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?>) {
            table(out, indent, list);
        } else if (value instanceof List<?> list) {
            out.append(indent).append(list.isEmpty() ? "(none)" : scalar(list)).append('\n');
        } else {
            out.append(indent).append(scalar(value)).append('\n');
        }
    }

    private static void table(StringBuilder out, String indent, List<?> rows) {
        List<String> columns = new ArrayList<>();
        for (Object r : rows) {
            ((Map<?, ?>) r).keySet().forEach(k -> {
                if (!columns.contains(k.toString())) {
                    columns.add(k.toString());
                }
            });
        }
        int[] width = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            width[c] = columns.get(c).length();
            for (Object r : rows) {
                width[c] = Math.max(width[c], scalar(((Map<?, ?>) r).get(columns.get(c))).length());
            }
        }
        StringBuilder header = new StringBuilder(indent);
        for (int c = 0; c < columns.size(); c++) {
            header.append(pad(columns.get(c), width[c])).append("  ");
        }
        out.append(header.toString().stripTrailing()).append('\n');
        for (Object r : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int c = 0; c < columns.size(); c++) {
                line.append(pad(scalar(((Map<?, ?>) r).get(columns.get(c))), width[c])).append("  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static String scalar(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof List<?> l) {
            return l.isEmpty() ? "(none)" : l.stream().map(Status::scalar).collect(Collectors.joining(", "));
        }
        return v.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
