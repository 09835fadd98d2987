package io.mpreg.launcher;

import io.mpreg.api.ClusterId;
import io.mpreg.api.NodeId;
import io.mpreg.federation.queue.QueueConfig;
import io.mpreg.federation.queue.QueuePattern;

import java.io.IOException;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code mpreg node}'s configuration file ({@link NodeConfig} lists the keys) and validates it whole: every
 * problem is named with its key, all of them in one {@link NodeConfig.ConfigException}.
 */
final class NodeConfigParser {
    private NodeConfigParser() {
    }

    /** Reads and validates {@code file}. */
    static NodeConfig load(Path file) throws NodeConfig.ConfigException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new NodeConfig.ConfigException(file + ": cannot read: " + e.getMessage());
        }
        Map<String, String> values = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k).strip()));
        return parse(file, values);
    }

    private static final Set<String> KEYS = Set.of("federation", "cluster", "node", "listen", "peers", "transport",
            "weights", "weights.version", "gossipInterval", "defaultTimeout", "http.port", "http.address", "consume",
            "consume.scope",
            "insecure", "vote.privateKey", "evidence.dir", "data.dir");
    private static final List<String> QUEUE_ATTRIBUTES = List.of("capacity", "visibilityTimeout", "maxReceives",
            "deadLetterQueue", "dedupWindow", "defaultDelay", "messageTtl");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern HOST_PORT = Pattern.compile("(.+):(\\d{1,5})");

    /** Validates {@code values} (as read from {@code file}). */
    static NodeConfig parse(Path file, Map<String, String> values) throws NodeConfig.ConfigException {
        Problems problems = new Problems(file);
        String federation = required(values, "federation", problems);
        String clusterText = required(values, "cluster", problems);
        ClusterId cluster = problems.check("cluster", () -> clusterText == null ? null : ClusterId.of(clusterText));
        String nodeName = values.getOrDefault("node", "gw");
        NodeId node = cluster == null ? null : problems.check("node", () -> new NodeId(cluster, nodeName));
        String listenText = required(values, "listen", problems);
        InetSocketAddress listen = listenText == null ? null : problems.check("listen", () -> address(listenText));

        Map<NodeId, InetSocketAddress> peers = new LinkedHashMap<>();
        for (String entry : list(values.get("peers"))) {
            problems.check("peers", () -> {
                int at = entry.indexOf('@');
                if (at < 0) {
                    throw new IllegalArgumentException("'" + entry + "' is not cluster/node@host:port");
                }
                NodeId peer = NodeId.parse(entry.substring(0, at));
                if (cluster != null && peer.cluster().equals(cluster)) {
                    throw new IllegalArgumentException("'" + entry + "' is in this node's own cluster " + cluster);
                }
                if (peers.put(peer, address(entry.substring(at + 1))) != null) {
                    throw new IllegalArgumentException(peer + " is listed twice");
                }
                return peer;
            });
        }

        String transport = values.get("transport");
        if (transport != null && !transport.matches("[a-z0-9-]+")) {
            problems.add("transport", "'" + transport + "' is not a plugin name (lower case, for example tcp)");
        }

        Map<ClusterId, Long> weights = new TreeMap<>();
        if (values.containsKey("weights")) {
            for (String entry : list(values.get("weights"))) {
                problems.check("weights", () -> {
                    String[] kv = entry.split(":", -1);
                    if (kv.length != 2) {
                        throw new IllegalArgumentException("'" + entry + "' is not cluster:weight");
                    }
                    long w = Long.parseLong(kv[1].strip());
                    if (w < 0) {
                        throw new IllegalArgumentException("weight of " + kv[0] + " must be >= 0, got " + w);
                    }
                    return weights.put(ClusterId.of(kv[0].strip()), w);
                });
            }
            if (cluster != null && !weights.isEmpty() && !weights.containsKey(cluster)) {
                problems.add("weights", "has no weight for this node's cluster " + cluster);
            }
        } else if (cluster != null) {
            weights.put(cluster, 1L);
            peers.keySet().forEach(peer -> weights.put(peer.cluster(), 1L));
        }
        long weightsVersion = values.containsKey("weights.version")
                ? orZero(problems.check("weights.version", () -> positiveLong(values.get("weights.version")))) : 1;

        Duration gossip = values.containsKey("gossipInterval")
                ? problems.check("gossipInterval", () -> duration(values.get("gossipInterval"))) : Duration.ofSeconds(1);
        Duration timeout = values.containsKey("defaultTimeout")
                ? problems.check("defaultTimeout", () -> duration(values.get("defaultTimeout"))) : null;

        InetSocketAddress http = null;
        if (values.containsKey("http.port")) {
            String host = values.getOrDefault("http.address", "127.0.0.1");
            http = problems.check("http.port", () -> {
                int port = Integer.parseInt(values.get("http.port"));
                if (port < 0 || port > 65535) {
                    throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
                }
                return new InetSocketAddress(host, port);
            });
        } else if (values.containsKey("http.address")) {
            problems.add("http.address", "is set but http.port is not (metrics are off without a port)");
        }

        String consume = values.get("consume");
        if (consume != null) {
            problems.check("consume", () -> QueuePattern.of(consume));
        }
        String scope = values.getOrDefault("consume.scope", "federation");
        if (!scope.equals("federation") && !scope.equals("local")) {
            problems.add("consume.scope", "must be federation (every matching queue in the federation) or local "
                    + "(this cluster's queues only), got '" + scope + "'");
        } else if (consume == null && values.containsKey("consume.scope")) {
            problems.add("consume.scope", "is set but consume is not");
        }

        List<QueueConfig> queues = queues(values, problems);

        Map<String, String> transportOptions = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String k = e.getKey();
            if (k.equals("tls") || k.startsWith("tls.") || k.startsWith("tcp.") || k.startsWith("jgroups.")
                    || transport != null && k.startsWith(transport + ".")) {
                transportOptions.put(k, e.getValue()); // the plugin reads (and checks) its own options
            } else if (!KEYS.contains(k) && !k.startsWith("queue.") && !k.startsWith("vote.publicKey.")) {
                problems.add(k, "unknown key (known: " + new TreeSet<>(KEYS) + ", queue.NAME[.ATTRIBUTE], "
                        + "vote.publicKey.CLUSTER, tls, tls.*, tcp.*, jgroups.*, and TRANSPORT.* for the plugin named by"
                        + " transport)");
            }
        }
        String insecureText = values.getOrDefault("insecure", "false");
        if (!insecureText.equals("true") && !insecureText.equals("false")) {
            problems.add("insecure", "must be true or false, got '" + insecureText + "'");
        }
        boolean insecure = insecureText.equals("true");
        if (!insecure && !"true".equals(transportOptions.get("tls"))) {
            problems.add("tls", "federation links need TLS (tls = true with tls.keyStore, tls.trustStore and their "
                    + "passwords) unless insecure = true is said explicitly");
        }
        Path voteKey = null;
        if (values.containsKey("vote.privateKey")) {
            voteKey = problems.check("vote.privateKey", () -> keyFile(values.get("vote.privateKey"), true));
        } else if (!insecure) {
            problems.add("vote.privateKey", "votes must be signed: give this cluster's Ed25519 key (mpreg keys "
                    + "makes one) unless insecure = true is said explicitly");
        }
        Map<ClusterId, Path> publicKeys = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().startsWith("vote.publicKey.")) {
                String name = e.getKey().substring("vote.publicKey.".length());
                problems.check(e.getKey(), () -> publicKeys.put(ClusterId.of(name), keyFile(e.getValue(), false)));
            }
        }
        if (voteKey != null) {
            for (ClusterId c : weights.keySet()) {
                if (!publicKeys.containsKey(c)) {
                    problems.add("vote.publicKey." + c, "missing: every cluster of the weight table needs its public "
                            + "vote key");
                }
            }
        }
        Path evidenceDir = values.containsKey("evidence.dir") ? Path.of(values.get("evidence.dir")) : null;
        Path dataDir = null;
        String data = values.getOrDefault("data.dir", "");
        if (data.isEmpty() && node != null) {
            dataDir = Path.of("data", node.cluster().value() + "-" + node.name());
        } else if (!data.equals(NodeConfig.IN_MEMORY)) {
            dataDir = Path.of(data);
        }
        problems.throwIfAny();
        return new NodeConfig(file, federation, node, listen, peers, transport, weights, weightsVersion, gossip,
                timeout, http, consume, scope.equals("local"), queues, transportOptions, insecure, voteKey, publicKeys, evidenceDir,
                dataDir);
    }

    /** A readable file holding a key of the right kind (read now, so a bad one is reported with its key). */
    private static Path keyFile(String name, boolean isPrivate) {
        Path path = Path.of(name);
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("cannot read key file " + path);
        }
        if (isPrivate) {
            io.mpreg.api.VoteKeys.readPrivateKey(path);
        } else {
            io.mpreg.api.VoteKeys.readPublicKey(path);
        }
        return path;
    }

    private static List<QueueConfig> queues(Map<String, String> values, Problems problems) {
        Map<String, String> types = new TreeMap<>();
        Map<String, Map<String, String>> attributes = new TreeMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (!e.getKey().startsWith("queue.")) {
                continue;
            }
            String rest = e.getKey().substring("queue.".length());
            String attribute = QUEUE_ATTRIBUTES.stream().filter(a -> rest.endsWith("." + a)).findFirst().orElse(null);
            if (attribute != null) {
                String name = rest.substring(0, rest.length() - attribute.length() - 1);
                attributes.computeIfAbsent(name, n -> new TreeMap<>()).put(attribute, e.getValue());
            } else {
                types.put(rest, e.getValue());
            }
        }
        for (String name : attributes.keySet()) {
            if (!types.containsKey(name)) {
                problems.add("queue." + name, "has settings but no type (add queue." + name + " = fifo or priority)");
            }
        }
        List<QueueConfig> out = new ArrayList<>();
        types.forEach((name, type) -> {
            String key = "queue." + name;
            QueueConfig base = problems.check(key, () -> switch (type.toLowerCase(java.util.Locale.ROOT)) {
                case "fifo" -> QueueConfig.fifo(name);
                case "priority" -> QueueConfig.priority(name);
                default -> throw new IllegalArgumentException("type must be fifo or priority, got '" + type + "'");
            });
            if (base == null) {
                return;
            }
            QueueConfig[] q = {base};
            attributes.getOrDefault(name, Map.of()).forEach((attribute, value) -> problems.check(key + "." + attribute,
                    () -> q[0] = switch (attribute) {
                        case "capacity" -> q[0].withCapacity(Integer.parseInt(value));
                        case "visibilityTimeout" -> q[0].withVisibilityTimeout(duration(value));
                        case "maxReceives" -> q[0].withMaxReceives(Integer.parseInt(value));
                        case "deadLetterQueue" -> q[0].withDeadLetterQueue(value);
                        case "dedupWindow" -> q[0].withDedupWindow(duration(value));
                        case "defaultDelay" -> q[0].withDefaultDelay(duration(value));
                        default -> q[0].withMessageTtl(duration(value));
                    }));
            out.add(q[0]);
        });
        return out;
    }

    private static String required(Map<String, String> values, String key, Problems problems) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            problems.add(key, "is required");
            return null;
        }
        return v;
    }

    private static List<String> list(String text) {
        List<String> out = new ArrayList<>();
        if (text != null) {
            for (String part : text.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }

    private static InetSocketAddress address(String text) {
        Matcher m = HOST_PORT.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not host:port");
        }
        int port = Integer.parseInt(m.group(2));
        if (port > 65535) {
            throw new IllegalArgumentException("port " + port + " is above 65535");
        }
        return new InetSocketAddress(m.group(1), port);
    }

    /** {@code 500ms}, {@code 2s}, {@code 5m}, {@code 1h} or ISO-8601; positive. */
    static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } else {
            try {
                d = Duration.parse(text.strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration (500ms, 2s, 5m, 1h or PT2S)");
            }
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative");
        }
        return d;
    }

    private static long positiveLong(String text) {
        long v = Long.parseLong(text);
        if (v < 1) {
            throw new IllegalArgumentException("must be >= 1, got " + v);
        }
        return v;
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    /** Collects every problem before failing, so one run shows them all. */
    private static final class Problems {
        private final Path file;
        private final List<String> lines = new ArrayList<>();

        Problems(Path file) {
            this.file = file;
        }

        void add(String key, String what) {
            lines.add(file + ": '" + key + "' " + what);
        }

        <T> T check(String key, java.util.concurrent.Callable<T> parse) {
            try {
                return parse.call();
            } catch (NumberFormatException e) {
                add(key, "is not a number: " + e.getMessage());
            } catch (Exception e) {
                add(key, e.getMessage());
            }
            return null;
        }

        void throwIfAny() throws NodeConfig.ConfigException {
            if (!lines.isEmpty()) {
                throw new NodeConfig.ConfigException(String.join("\n", lines));
            }
        }
    }
}
